# A list's item array grows as it fills; each int is its own object.
items = []
for i in range(12):
    items.append(i * 1000)
print(len(items), "items")
items = None
