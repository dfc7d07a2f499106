class Tail:
    def deep(self):
        if self:
            x = 1
            # deeper after last statement
                # even deeper
        # at body indentation after last statement
    # at class indentation
# at module indentation

    def shallow(self):
        for i in range(3):
            pass
            # inside for after pass
        y = 2
        # after y
#
    # after a bare hash line

    def pragmas(self):
        x = []  # type: list[int]
        y = 1  # noqa
        z = 2  #noqa
        w = 3  # pylint: disable=invalid-name
        #
        #    
        ## double hash
        #: colon comment
        # -*- not a coding line -*-
        # fmt: off
        # SPDX-License-Identifier: none
        s = "# not a comment"
        t = f"{s} # still not"  # but this one is
        return x, y, z, w, s, t

    def last(self):
        return None
    # trailing the class after the last method


def after_class():
    pass
    # trailing module function
