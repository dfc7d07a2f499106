from typing import Callable, Dict


class Sig:
    def spaces( self , a ,b ):
        return a

    def empty_with_comment(
        # the only thing in the list
    ):
        pass

    def last_param_comment(
        self
        # after the last parameter, no comma
    ):
        pass

    def defaults(self, s: str = "a ) # not a comment", t=(1, 2), u={"k": [1, 2]}, v=lambda x: x):
        return s

    def markers(self, a, /, b, *, c, **kw):
        return a

    def only_star(*args: int, **kwargs: "Dict[str, int]"):
        return args

    def trailing(self, a, b,):
        return b

    def blank_lines(

        self,

        a,

    ):
        return a

    def ann_brackets(self, f: Callable[[int, str], Dict[str, "Sig"]], g: "Callable[..., None]" = None) -> Callable[
        [int], None
    ]:
        return f

    def größe(self, größe: Dict[str, "Größe"], wert: "Maß" = "µ") -> "Größe":
        return größe

    def default_call(self, n=compute_default(), m=Config.DEFAULT.value):
        return n

    def string_default(self, sep=", ", end=")"):
        return sep

    def star_ann(self, *args: Dict[str, int], **kw: Callable[..., None]):
        return args

    def no_space_ann(self, x:int=1, y :str= "y")->int:
        return x


def no_params() -> None:
    pass


async def async_sig(self, *, timeout: float = 1.0) -> "Response":
    return self
