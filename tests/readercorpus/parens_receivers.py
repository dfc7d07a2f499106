"""Parenthesized receivers, values, targets and annotations everywhere."""

import os


class Pool:
    def pick(self, a, b):
        (a or b).release()
        (self).free()
        (self.blocks).append(1)
        ((self.blocks)).pop()
        (
            a
            or b
        ).release(
            1
        )
        (self
         .table
         .rows).clear()
        x = (self.alloc)
        y = ((self.alloc.get)())
        (self.cursor) = 0
        (
            self.width
        ) = 3
        [self.a, (self.b)] = 1, 2
        return (a if a else b)

    def chained(self):
        return (self.pool
                .get()
                .view(
                    os.sep
                )
                .size)

    def waits(self):
        v = (
            self.queue
        ).get(
            timeout=(self.timeout)
        )
        return (v)
