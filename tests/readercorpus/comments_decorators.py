import functools


def deco(*args, **kwargs):
    return lambda f: f


class Widget:
    # before the decorators
    @deco  # on the decorator line
    # between decorators
    @deco(
        1,  # inside decorator arguments
        # own line inside decorator arguments
        2,
    )
    # after the last decorator
    def method(self):
        # first statement comment
        x = 1
        return x

    @property  # pragma: no cover
    def prop(self):  # type: ignore
        return 1  # noqa: E501

    def nested_decorators(self):
        # before nested decorators
        @functools.wraps(self.method)  # on nested decorator line
        # between nested decorators
        @deco(self.prop,  # inside nested decorator call
              key=len)
        # after nested decorators
        def inner(  # after nested paren
            a,  # nested param comment
            b=len("x"),  # nested default
        ):  # nested colon
            # nested body
            return a
        return inner

