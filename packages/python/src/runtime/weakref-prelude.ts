/**
 * The Python half of heaplab's `weakref` module, run inside the module at first import (CPython's
 * `weakref.py` is Python too). `ref`, `proxy` and the counting functions are native.
 */
export const WEAKREF_PRELUDE = `
class WeakValueDictionary:
    def __init__(self, other=None):
        self.data = {}
        if other is not None:
            for k, v in dict(other).items():
                self[k] = v
    def __setitem__(self, key, value):
        def remove(wr, key=key, selfref=ref(self)):
            d = selfref()
            if d is not None and d.data.get(key) is wr:
                del d.data[key]
        self.data[key] = ref(value, remove)
    def __getitem__(self, key):
        o = self.data[key]()
        if o is None:
            raise KeyError(key)
        return o
    def __delitem__(self, key):
        del self.data[key]
    def __contains__(self, key):
        r = self.data.get(key)
        return r is not None and r() is not None
    def __len__(self):
        return len(self.data)
    def get(self, key, default=None):
        r = self.data.get(key)
        if r is None:
            return default
        o = r()
        return default if o is None else o
    def pop(self, key, *default):
        r = self.data.pop(key, None)
        o = None if r is None else r()
        if o is None:
            if default:
                return default[0]
            raise KeyError(key)
        return o
    def setdefault(self, key, default=None):
        o = self.get(key)
        if o is None:
            self[key] = default
            return default
        return o
    def keys(self):
        return [k for k, r in self.data.items() if r() is not None]
    def __iter__(self):
        return iter(self.keys())
    def values(self):
        return [o for o in (r() for r in self.data.values()) if o is not None]
    def items(self):
        return [(k, o) for k, o in ((k, r()) for k, r in self.data.items()) if o is not None]
    def __repr__(self):
        return "<WeakValueDictionary at %s>" % hex(id(self))

class WeakKeyDictionary:
    def __init__(self, other=None):
        self.data = {}
        def remove(k, selfref=ref(self)):
            d = selfref()
            if d is not None:
                d.data.pop(k, None)
        self._remove = remove
        if other is not None:
            for k, v in dict(other).items():
                self[k] = v
    def __setitem__(self, key, value):
        self.data[ref(key, self._remove)] = value
    def __getitem__(self, key):
        return self.data[ref(key)]
    def __delitem__(self, key):
        del self.data[ref(key)]
    def __contains__(self, key):
        try:
            wr = ref(key)
        except TypeError:
            return False
        return wr in self.data
    def __len__(self):
        return len(self.data)
    def get(self, key, default=None):
        return self.data.get(ref(key), default)
    def pop(self, key, *default):
        return self.data.pop(ref(key), *default)
    def keys(self):
        return [k for k in (r() for r in self.data) if k is not None]
    def __iter__(self):
        return iter(self.keys())
    def values(self):
        return [v for r, v in self.data.items() if r() is not None]
    def items(self):
        return [(k, v) for k, v in ((r(), v) for r, v in self.data.items()) if k is not None]
    def __repr__(self):
        return "<WeakKeyDictionary at %s>" % hex(id(self))

class WeakSet:
    def __init__(self, data=None):
        self.data = set()
        def remove(item, selfref=ref(self)):
            s = selfref()
            if s is not None:
                s.data.discard(item)
        self._remove = remove
        if data is not None:
            for x in data:
                self.add(x)
    def add(self, item):
        self.data.add(ref(item, self._remove))
    def discard(self, item):
        self.data.discard(ref(item))
    def remove(self, item):
        self.data.remove(ref(item))
    def __contains__(self, item):
        try:
            wr = ref(item)
        except TypeError:
            return False
        return wr in self.data
    def __len__(self):
        return len(self.data)
    def __iter__(self):
        return iter([x for x in (r() for r in self.data) if x is not None])

class finalize:
    _registry = {}
    _index = [0]
    def __init__(self, obj, func, *args, **kwargs):
        finalize._index[0] += 1
        self._order = finalize._index[0]
        self._func = func
        self._args = args
        self._kwargs = kwargs
        self.atexit = True
        self._ref = ref(obj, self)
        finalize._registry[self] = self._order
    def __call__(self, _=None):
        if self in finalize._registry:
            del finalize._registry[self]
            return self._func(*self._args, **self._kwargs)
    def detach(self):
        if self in finalize._registry:
            del finalize._registry[self]
            obj = self._ref()
            if obj is not None:
                return (obj, self._func, self._args, self._kwargs)
    def peek(self):
        obj = self._ref()
        if self in finalize._registry and obj is not None:
            return (obj, self._func, self._args, self._kwargs)
    @property
    def alive(self):
        return self in finalize._registry
    def __repr__(self):
        obj = self._ref()
        if obj is None:
            return "<finalize object at %s; dead>" % hex(id(self))
        return "<finalize object at %s; for %r at %s>" % (hex(id(self)), type(obj).__name__, hex(id(obj)))

def _exitfunc():
    pending = [f for f in finalize._registry if f.atexit]
    pending.sort(key=lambda f: f._order)
    while pending:
        f = pending.pop()
        f()
`;
