import abc


class Plain:
    pass


class WithMeta(Base, metaclass=abc.ABCMeta):
    pass


class CalledBase(make_base(1, key="v"), mixins.Mixin):
    pass


class Generic_(Generic[T], Protocol[T_co]):
    pass


class Starred(*mixins, **options):
    pass


class Keywords(Base, total=False, **more):
    pass


class MultiLine(  # header comment
    FirstBase,  # first
    # between bases
    SecondBase[
        int
    ],
    metaclass=Meta,
):
    pass


class Empty():
    pass


@dataclass(frozen=True)
@functools.total_ordering
class Decorated:
    x: int = 0
    y: list = field(default_factory=list)


@(register)
@registry["x"].add
@lambda cls: cls
class Odd:
    pass


class Outer:
    class Middle(Outer_Base):
        class Inner:
            def m(self):
                self.v = 1

        def mm(self):
            return 1

    def after(self):
        return 2
