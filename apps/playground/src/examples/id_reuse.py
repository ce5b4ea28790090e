# Freed memory is reused: a new object can get the id of a dead one.
class A:
    pass

a = A()
first = hex(id(a))
a = None
b = A()
print("first:", first)
print("second:", hex(id(b)))
