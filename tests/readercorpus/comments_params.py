class Manager:
    def first(  # right after the paren
        self,  # after self
        # on its own line
        size: int,  # after size
        *,  # after the star
        block: int = 16,  # after a default
    ) -> int:  # on the return line
        return size

    def second(
        # before any parameter
        self,
        other,
    ):
        # body comment
        return other

    def third(self, a,  # trailing in a one-line-start list
              b):  # on the colon line
        pass

    def fourth(self,
               a: "int",  # string annotation
               b: dict[  # inside an annotation
                   str, int],
               ) -> dict[  # inside the return annotation
                   str,  # deeper
                   int]:
        return {}

    def fifth(self): return 1  # one-liner comment


def module_level(  # after paren of a module function
    a,  # a
    b,
):  # colon
    return a  # tail
