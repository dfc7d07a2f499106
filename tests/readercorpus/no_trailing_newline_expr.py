LIMIT = (
    1 << 4)
def f(a):
    return a.b(
        1)