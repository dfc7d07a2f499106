"""A class base inside its own parentheses: libcst's text keeps them."""


class Paren((Base)):
    pass


class ParenTwo((First), (mixins.Second), metaclass=(Meta)):
    pass
