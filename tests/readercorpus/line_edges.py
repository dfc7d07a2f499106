class Edges:
    def calls(self):
        (
            self.f
        )()
        (self
            .g)(
        )
        x = (
            # comment before
            self.a
        ).b
        y = ((
            self.c
        ))
        z = ((self.d)
             .e())
        w = [
            self.h(),
            # between items
            self.i(),
        ][0]
        self.j(
        ).k(
        ).l()
        return x, y, z, w

    def targets(self):
        (
            self.t1
        ) = 1
        for (
            i
        ) in self.rows:
            pass
        [
            self.t2,
            self.t3,
        ] = self.pair()
        self.t4 = (
            1
        )
        self.t5 = \
            self.t4

    def fstring_whitespace(self):
        return f"""{
            self.a
            = }{ self.b . c ( ) !r}"""

    def patterns(self, v):
        match v:
            case (
                Point(
                    x=0,
                )
            ):
                return self.p()
            case [
                1,
                *rest,
            ]:
                return self.q(rest)

    def strings(self):
        s = ("a"
             "b"
             """c
             d"""
             'e')
        return s, self.after_strings()

    def ends_with_string(self):
        return """
        last
        """

    def ends_with_paren(self):
        return (
            1
        )


def ends_with_nested():
    def inner():
        return 1
    class Inner:
        x = 1
        # comment in nested class after its last statement


def ends_with_if():
    if True:
        pass
    else:
        x = (1,
             2)
