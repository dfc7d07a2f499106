"""Soft keywords and builtins used as plain names."""

match = None
case = 1
type = int
_ = 2


class Soft:
    def match(self, case):
        match = self.pattern.match(case)
        type = self.type
        _ = match.group(_)
        print(match, type, sep="")
        return match

    def case(self):
        match self.match(1):
            case _:
                return self.case

    def type(self):
        return await_like(self)

    def not_async(self):
        return self.print.await_
