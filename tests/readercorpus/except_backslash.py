"""A backslash continuation between an except clause's type and its colon."""


class Guarded:
    def m(self):
        try:
            self.work()
        except ValueError \
                :
            self.recover()
        return self.after()


try:
    LIMIT = 1
except ImportError \
        :
    LIMIT = 2
AFTER = 3
