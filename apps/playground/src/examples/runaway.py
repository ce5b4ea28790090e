# A program that runs too long is stopped with a message.
total = 0
for i in range(10000000):
    total += i
print(total)
