;; The `wasm` layout of bench/layout-model.mjs: the `line` layout's garbage-phase cascade, step for
;; step, in WebAssembly. Records of 64 bytes from address 0 (byte offsets: 0 flags, 4 count,
;; 8 next, 12 prev, 16 slot length, 20 epoch, 24 size, 28 class, 32 address (f64), 40-52 slots);
;; the unreachable list's head is record 0, the old generation's is record `objects`.
(module
  (import "model" "memory" (memory 1))

  (func $unlink (param $o i32)
    (local $w i32) (local $next i32) (local $prev i32)
    (local.set $w (i32.shl (local.get $o) (i32.const 6)))
    (local.set $next (i32.load offset=8 (local.get $w)))
    (local.set $prev (i32.load offset=12 (local.get $w)))
    (i32.store offset=8 (i32.shl (local.get $prev) (i32.const 6)) (local.get $next))
    (i32.store offset=12 (i32.shl (local.get $next) (i32.const 6)) (local.get $prev)))

  (func $toOld (param $o i32) (param $old i32)
    (local $last i32)
    (call $unlink (local.get $o))
    (local.set $last (i32.load offset=12 (i32.shl (local.get $old) (i32.const 6))))
    (i32.store offset=8 (i32.shl (local.get $last) (i32.const 6)) (local.get $o))
    (i32.store offset=12 (i32.shl (local.get $o) (i32.const 6)) (local.get $last))
    (i32.store offset=8 (i32.shl (local.get $o) (i32.const 6)) (local.get $old))
    (i32.store offset=12 (i32.shl (local.get $old) (i32.const 6)) (local.get $o)))

  ;; Releases `root` and what dies with it; returns the free count after the frees it adds.
  (func $release (param $root i32) (param $stack i32) (param $free i32) (param $count i32) (result i32)
    (local $sp i32) (local $obj i32) (local $cursor i32) (local $w i32) (local $len i32)
    (local $descend i32) (local $p i32) (local $child i32) (local $cw i32) (local $c i32)
    (local.set $obj (local.get $root))
    (local.set $cursor (i32.const -1))
    (loop $step
      (local.set $w (i32.shl (local.get $obj) (i32.const 6)))
      (if (i32.eq (local.get $cursor) (i32.const -1))
        (then
          (i32.store (local.get $w) (i32.or (i32.load (local.get $w)) (i32.const 2)))
          (call $unlink (local.get $obj))
          (local.set $cursor (i32.const 0))))
      (local.set $len (i32.load offset=16 (local.get $w)))
      (local.set $descend (i32.const 0))
      (block $found
        (loop $items
          (br_if $found (i32.ge_s (local.get $cursor) (local.get $len)))
          (local.set $p (i32.add (local.get $w)
            (i32.shl (i32.sub (i32.sub (local.get $len) (i32.const 1)) (local.get $cursor)) (i32.const 2))))
          (local.set $child (i32.load offset=40 (local.get $p)))
          (local.set $cursor (i32.add (local.get $cursor) (i32.const 1)))
          (if (local.get $child)
            (then
              (i32.store offset=40 (local.get $p) (i32.const 0))
              (local.set $cw (i32.shl (local.get $child) (i32.const 6)))
              (local.set $c (i32.sub (i32.load offset=4 (local.get $cw)) (i32.const 1)))
              (i32.store offset=4 (local.get $cw) (local.get $c))
              (if (i32.and (i32.eqz (local.get $c)) (i32.eqz (i32.and (i32.load (local.get $cw)) (i32.const 2))))
                (then (local.set $descend (local.get $child)) (br $found)))))
          (br $items)))
      (if (local.get $descend)
        (then
          (i32.store (i32.add (local.get $stack) (i32.shl (local.get $sp) (i32.const 2))) (local.get $obj))
          (i32.store offset=4 (i32.add (local.get $stack) (i32.shl (local.get $sp) (i32.const 2))) (local.get $cursor))
          (local.set $sp (i32.add (local.get $sp) (i32.const 2)))
          (local.set $obj (local.get $descend))
          (local.set $cursor (i32.const -1))
          (br $step)))
      (local.set $count (i32.add (local.get $count) (f64.gt (f64.load offset=32 (local.get $w)) (f64.const 0))))
      (i32.store offset=16 (local.get $w) (i32.const 0))
      (i32.store offset=20 (local.get $w) (i32.add (i32.load offset=20 (local.get $w)) (i32.const 1)))
      (i32.store (local.get $w) (i32.const 0))
      (i32.store offset=4 (local.get $w) (i32.const 0))
      (i32.store (i32.add (local.get $free) (i32.shl (local.get $count) (i32.const 2))) (local.get $obj))
      (if (i32.eqz (local.get $sp)) (then (return (local.get $count))))
      (local.set $sp (i32.sub (local.get $sp) (i32.const 2)))
      (local.set $obj (i32.load (i32.add (local.get $stack) (i32.shl (local.get $sp) (i32.const 2)))))
      (local.set $cursor (i32.load offset=4 (i32.add (local.get $stack) (i32.shl (local.get $sp) (i32.const 2)))))
      (br $step))
    (local.get $count))

  ;; delete_garbage over the unreachable list: returns the number of objects freed.
  (func (export "cascade") (param $objects i32) (param $stack i32) (param $free i32) (result i32)
    (local $count i32) (local $o i32) (local $w i32) (local $k i32) (local $c i32) (local $cw i32) (local $rc i32)
    (block $done
      (loop $each
        (local.set $o (i32.load offset=8 (i32.const 0)))
        (br_if $done (i32.eqz (local.get $o)))
        (local.set $w (i32.shl (local.get $o) (i32.const 6)))
        (i32.store offset=4 (local.get $w) (i32.add (i32.load offset=4 (local.get $w)) (i32.const 1)))
        (local.set $k (i32.sub (i32.load offset=16 (local.get $w)) (i32.const 1)))
        (block $cleared
          (loop $items
            (br_if $cleared (i32.lt_s (local.get $k) (i32.const 0)))
            (local.set $c (i32.load offset=40 (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 2)))))
            (if (local.get $c)
              (then
                (i32.store offset=40 (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 2))) (i32.const 0))
                (local.set $cw (i32.shl (local.get $c) (i32.const 6)))
                (local.set $rc (i32.sub (i32.load offset=4 (local.get $cw)) (i32.const 1)))
                (i32.store offset=4 (local.get $cw) (local.get $rc))
                (if (i32.and (i32.eqz (local.get $rc)) (i32.eqz (i32.and (i32.load (local.get $cw)) (i32.const 2))))
                  (then (local.set $count
                    (call $release (local.get $c) (local.get $stack) (local.get $free) (local.get $count)))))))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $items)))
        (local.set $rc (i32.sub (i32.load offset=4 (local.get $w)) (i32.const 1)))
        (i32.store offset=4 (local.get $w) (local.get $rc))
        (if (i32.eqz (local.get $rc))
          (then (local.set $count
            (call $release (local.get $o) (local.get $stack) (local.get $free) (local.get $count))))
          (else (if (i32.eq (i32.load offset=8 (i32.const 0)) (local.get $o))
            (then (call $toOld (local.get $o) (local.get $objects))))))
        (br $each)))
    (local.get $count))
)
