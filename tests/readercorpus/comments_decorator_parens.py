"""Comments on a nested def's decorator lines outside the decorator expression's own span."""

import functools


class ParenDecorators:
    def method(self):
        @(  # on the decorator's own parenthesis
            functools.cache
        )  # after the decorator's closing parenthesis
        def inner():
            return 1

        @deco(
            1,
        )  # after a multi-line decorator call
        class Local:
            pass
        return inner, Local
