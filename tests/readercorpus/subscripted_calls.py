import queue
from typing import Generic, TypeVar

T = TypeVar("T")


class Box(Generic[T]):
    def __init__(self):
        self.q = queue.Queue[int]()
        self.d = dict[str, int]()
        self.m = Mapper[T][int]()
        self.items = self.factory[0]()
        self.call_of_call = make()()
        self.chained = Builder().with_x(1).build()

    def get(self) -> T:
        first = self.q.get()
        second = Queue[int]()
        third = self.d.get("x")[0]
        fourth = self.items[0].value
        return first if first else second
