import enum


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Matcher:
    def handle(self, event):
        match event:
            case Click(x=0, y=self.origin.y):
                self.on_click()
            case shapes.Point(x, y) if x > self.limit.x:
                self.on_point(x, y)
            case Color.RED | Color.GREEN:
                self.on_color()
            case {"kind": "key", "code": code, **rest}:
                self.on_key(code, rest)
            case [first, *others]:
                self.on_list(first, others)
            case str() | bytes() as raw:
                self.on_raw(raw)
            case mod.sub.Kind.VALUE:
                pass
            case _:
                raise ValueError(event)
        match self.state.phase:
            case "start":
                return self.start()
