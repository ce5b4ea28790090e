# Two objects that refer to each other: a cycle.
# Reference counting cannot free it; a tracing collector can.
import gc
class Node:
    pass

a = Node()
b = Node()
a.other = b
b.other = a
a = None
b = None
# Both nodes are unreachable now, but each still holds the other.
print("collected:", gc.collect())
