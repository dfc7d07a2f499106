class Evidence:
    def asserts(self, x):
        assert x ; y = 1
        assert (x,
                "always true tuple")
        assert x, (  # comment inside the assert
            "message"
        )
        assert isinstance(x, int), \
            f"bad {x!r}"
        assert x; assert y
        return y

    def raises(self, x):
        raise ValueError(
            "multi"  # comment in raise
            "line"
        ) from x
        raise
        raise (KeyError)
        raise self.error_class(x) from None

    def nested_evidence(self):
        def inner():
            assert self.ok()
            raise RuntimeError("inner")

        class Local:
            assert True
            # comment in a local class body

            def m(self):
                raise NotImplementedError
        lam = lambda: self.fail()
        return inner, Local, lam

    def exceptions(self):
        try:
            self.work()
        except* ValueError as group:
            raise self.wrap(group)
        try:
            pass
        except (KeyError, IndexError):  # tuple
            pass
