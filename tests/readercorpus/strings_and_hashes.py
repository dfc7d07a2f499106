"""Quotes, hashes and parentheses inside strings and comments, where a text scanner could lose its way."""

A = "a\"#b"
B = 'it\'s # not a comment'
C = "\\"  # a real comment after an escaped backslash
D = r"\\"  # after a raw string ending in a backslash
E = '''a''' "#" """b "quoted" c""" '''d 'e' f'''
F = "a"#c
G = b'#' + rb'\'#'
H = f"{{#}}" f'{1:">10}' f"{f'{2}'}"
I = """ends with a quote\""""
J = "line \
continued # still the string"
K = ")" "(" "#"


class Scanner:
    def m(self, x="(", y=')', z="#", w=''' ) # ( '''):  # it's "quoted"
        s = "(" + x  # ( unbalanced in a comment
        t = (  # ( another
            self.a(")")
        ).b("#")
        u = f"{self.c('(')}" + f'{self.d(")")}'  # ')'
        v = "\"" ; assert s, "a # b" ; raise ValueError('#', "'")
        return s, t, u, v  # 'done'

    def n(self,
          a: "Dict[str, '#']" = "#",  # '
          b=("(", ")"),  # "
          ):
        return (self.e  # )
                ).f()
