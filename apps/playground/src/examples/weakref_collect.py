# A weak reference does not keep its referent alive.
import gc
import weakref
class Box:
    pass

box = Box()
ref = weakref.ref(box)
print("alive:", ref)
box = None
print("after the last strong reference went:", ref)
gc.collect()
print("after a collection:", ref)
