"""Parenthesized receivers inside f-strings: Python 3.11's tokenize sees the f-string as one token."""


class F:
    def m(self):
        i = f'{(self.a or self.b).c()}' f'{ (self.e).f() }'
        j = f"""{
            (self.g
             or self.h).k()
        }"""
        return i, j
