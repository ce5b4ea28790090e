# 200 objects in a chain kept by a list: the diagram gets dense.
class Node:
    pass

nodes = []
prev = None
for i in range(200):
    node = Node()
    node.prev = prev
    nodes.append(node)
    prev = node
print(len(nodes), "nodes")
nodes = None
node = None
prev = None
