import abc
import functools
from typing import overload


class Props(abc.ABC):
    @property
    def size(self) -> int:
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._size = value

    @size.deleter
    def size(self) -> None:
        del self._size

    @functools.cached_property
    def cached(self):
        return self.compute()

    @overload
    def get(self, key: int) -> int: ...

    @overload
    def get(self, key: str) -> str: ...

    def get(self, key):
        return self.table[key]

    def redefined(self):
        return 1

    def redefined(self):
        return 2

    if abc:
        def branch(self):
            return 1
    else:
        def branch(self):
            return 2

    @staticmethod
    def static(x):
        return x.value()

    @classmethod
    def create(cls, n):
        return cls(n)

    @abc.abstractmethod
    def abstract(self):
        raise NotImplementedError

    @abc.abstractproperty
    def old_abstract(self):
        ...

    @typing.overload
    def typed(self): ...

    def __init__(self):
        super().__init__()
        super(Props, self).__init__()
        self._size = 0


def redefined_function():
    return 1


def redefined_function():
    return 2
