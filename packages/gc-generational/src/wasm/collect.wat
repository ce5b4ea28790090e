;; The generational collector's two big loops over the heap's own memory: CPython's
;; deduce_unreachable (`deduce`), and delete_garbage (`deleteGarbage`), the clearing of the
;; garbage list with the release cascades it sets off, for plain objects. See collect-wasm.ts for
;; when they apply and what the caller copies in and out. Keep the assembled module under 4 KB:
;; browsers compile larger ones synchronously only off the main thread.
;;
;; Records are 64 bytes from address 0 (core's layout.ts): 0 flags (low 16 bits) and type (high),
;; 4 count, 8 slot offset (in words), 12 slot length, 32 size, 36 slot class (byte) and header
;; count (next byte), 40 address (f64), 48 epoch, 52 and 56 the collector's list links, 60 spare.
;; Slots are words of the same memory. `deleteGarbage` stops (status 1 or 2) before it touches an
;; object it cannot handle; everything before that is done and consistent.
(module
  (import "heap" "memory" (memory 1))

  ;; Regions above the heap's own words (byte addresses), set by `configure`.
  (global $pools (mut i32) (i32.const 0))      ;; pymalloc pool records, 32 bytes each
  (global $poolsEnd (mut i32) (i32.const 0))   ;; end of the pool records
  (global $stacks (mut i32) (i32.const 0))     ;; pymalloc free stacks, 2048 bytes per pool
  (global $used (mut i32) (i32.const 0))       ;; pymalloc used-pool heads, one word per size class
  (global $refs (mut i32) (i32.const 0))       ;; gc_refs, one word per object
  (global $headNext (mut i32) (i32.const 0))   ;; first object of each GC list
  (global $headPrev (mut i32) (i32.const 0))   ;; last object of each GC list
  (global $releaseBits (mut i32) (i32.const 0)) ;; core's release bits, one byte per type
  (global $kinds (mut i32) (i32.const 0))      ;; the collector's kind bits, one byte per type
  (global $walk (mut i32) (i32.const 0))       ;; the cascade's stack of (object, cursor) pairs
  (global $walkRoom (mut i32) (i32.const 0))   ;; how many words that stack holds
  (global $items (mut i32) (i32.const 0))      ;; the items detached from the object being cleared
  (global $freed (mut i32) (i32.const 0))      ;; freed indices, in order
  (global $emptied (mut i32) (i32.const 0))    ;; pools that became empty, in order
  (global $itemsRoom (mut i32) (i32.const 0))  ;; how many items `items` holds

  ;; Settings and running results.
  (global $arenaBase (mut f64) (f64.const 0))
  (global $countsAllocations (mut i32) (i32.const 0))
  (global $gen0 (mut i32) (i32.const 0))
  (global $liveBytes (mut f64) (f64.const 0))
  (global $nFreed (mut i32) (i32.const 0))
  (global $nEmptied (mut i32) (i32.const 0))
  (global $ops (mut i32) (i32.const 0))
  (global $bytes (mut f64) (f64.const 0))
  (global $liveAfterFirst (mut f64) (f64.const 0))
  (global $usedBytes (mut f64) (f64.const 0))
  (global $blocks (mut i32) (i32.const 0))
  (global $visited (mut i32) (i32.const 0))
  (global $bail (mut i32) (i32.const 0))

  (func (export "configure")
    (param $pools i32) (param $poolsEnd i32) (param $stacks i32) (param $used i32) (param $refs i32)
    (param $headNext i32) (param $headPrev i32) (param $releaseBits i32) (param $kinds i32)
    (param $walk i32) (param $walkRoom i32) (param $items i32) (param $itemsRoom i32) (param $freed i32) (param $emptied i32)
    (global.set $pools (local.get $pools))
    (global.set $poolsEnd (local.get $poolsEnd))
    (global.set $stacks (local.get $stacks))
    (global.set $used (local.get $used))
    (global.set $refs (local.get $refs))
    (global.set $headNext (local.get $headNext))
    (global.set $headPrev (local.get $headPrev))
    (global.set $releaseBits (local.get $releaseBits))
    (global.set $kinds (local.get $kinds))
    (global.set $walk (local.get $walk))
    (global.set $walkRoom (local.get $walkRoom))
    (global.set $items (local.get $items))
    (global.set $itemsRoom (local.get $itemsRoom))
    (global.set $freed (local.get $freed))
    (global.set $emptied (local.get $emptied)))

  (func (export "start")
    (param $arenaBase f64) (param $countsAllocations i32)
    (param $gen0 i32) (param $liveBytes f64)
    (global.set $arenaBase (local.get $arenaBase))
    (global.set $countsAllocations (local.get $countsAllocations))
    (global.set $gen0 (local.get $gen0))
    (global.set $liveBytes (local.get $liveBytes))
    (global.set $nFreed (i32.const 0))
    (global.set $nEmptied (i32.const 0))
    (global.set $ops (i32.const 0))
    (global.set $bytes (f64.const 0))
    (global.set $liveAfterFirst (f64.const 0))
    (global.set $usedBytes (f64.const 0))
    (global.set $blocks (i32.const 0))
    (global.set $visited (i32.const 0))
    (global.set $bail (i32.const 0)))

  (func (export "gen0") (result i32) (global.get $gen0))
  (func (export "liveBytes") (result f64) (global.get $liveBytes))
  (func (export "nFreed") (result i32) (global.get $nFreed))
  (func (export "nEmptied") (result i32) (global.get $nEmptied))
  (func (export "ops") (result i32) (global.get $ops))
  (func (export "bytes") (result f64) (global.get $bytes))
  (func (export "liveAfterFirst") (result f64) (global.get $liveAfterFirst))
  (func (export "usedBytes") (result f64) (global.get $usedBytes))
  (func (export "blocks") (result i32) (global.get $blocks))
  (func (export "visited") (result i32) (global.get $visited))
  (func (export "bail") (result i32) (global.get $bail))

  ;; ---------------------------------------------------------------- GC lists

;; Unlinks the run of objects from `first` to `last` (consecutive in their list, in order) from
  ;; it; the run's own links are left as they were.
  (func $unlinkRun (param $first i32) (param $last i32)
    (local $before i32) (local $after i32)
    (local.set $before (i32.load offset=56 (i32.shl (local.get $first) (i32.const 6))))
    (local.set $after (i32.load offset=52 (i32.shl (local.get $last) (i32.const 6))))
    (if (i32.lt_s (local.get $before) (i32.const 0))
      (then (i32.store (i32.add (global.get $headNext) (i32.shl (i32.sub (i32.const 0) (local.get $before)) (i32.const 2)))
        (local.get $after)))
      (else (i32.store offset=52 (i32.shl (local.get $before) (i32.const 6)) (local.get $after))))
    (if (i32.lt_s (local.get $after) (i32.const 0))
      (then (i32.store (i32.add (global.get $headPrev) (i32.shl (i32.sub (i32.const 0) (local.get $after)) (i32.const 2)))
        (local.get $before)))
      (else (i32.store offset=56 (i32.shl (local.get $after) (i32.const 6)) (local.get $before)))))

  ;; Unlinks the run from `first` to `last` and appends it to the end of list `to`.
  (func $moveRun (param $first i32) (param $last i32) (param $to i32)
    (local $tail i32) (local $at i32)
    (call $unlinkRun (local.get $first) (local.get $last))
    (local.set $at (i32.add (global.get $headPrev) (i32.shl (local.get $to) (i32.const 2))))
    (local.set $tail (i32.load (local.get $at)))
    (i32.store offset=56 (i32.shl (local.get $first) (i32.const 6)) (local.get $tail))
    (if (i32.lt_s (local.get $tail) (i32.const 0))
      (then (i32.store (i32.add (global.get $headNext) (i32.shl (local.get $to) (i32.const 2))) (local.get $first)))
      (else (i32.store offset=52 (i32.shl (local.get $tail) (i32.const 6)) (local.get $first))))
    (i32.store offset=52 (i32.shl (local.get $last) (i32.const 6)) (i32.sub (i32.const 0) (local.get $to)))
    (i32.store (local.get $at) (local.get $last)))

  ;; ---------------------------------------------------------------- pymalloc

  (func $linkUsedFront (param $pool i32)
    (local $at i32) (local $slot i32) (local $head i32)
    (local.set $at (i32.add (global.get $pools) (i32.shl (local.get $pool) (i32.const 5))))
    (local.set $slot (i32.add (global.get $used) (i32.shl (i32.load offset=8 (local.get $at)) (i32.const 2))))
    (local.set $head (i32.load (local.get $slot)))
    (i32.store offset=24 (local.get $at) (i32.const -1))
    (i32.store offset=20 (local.get $at) (local.get $head))
    (if (i32.ne (local.get $head) (i32.const -1))
      (then (i32.store offset=24 (i32.add (global.get $pools) (i32.shl (local.get $head) (i32.const 5))) (local.get $pool))))
    (i32.store (local.get $slot) (local.get $pool)))

  (func $unlinkUsed (param $pool i32)
    (local $at i32) (local $prev i32) (local $next i32) (local $slot i32)
    (local.set $at (i32.add (global.get $pools) (i32.shl (local.get $pool) (i32.const 5))))
    (local.set $prev (i32.load offset=24 (local.get $at)))
    (local.set $next (i32.load offset=20 (local.get $at)))
    (local.set $slot (i32.add (global.get $used) (i32.shl (i32.load offset=8 (local.get $at)) (i32.const 2))))
    (if (i32.ne (local.get $prev) (i32.const -1))
      (then (i32.store offset=20 (i32.add (global.get $pools) (i32.shl (local.get $prev) (i32.const 5))) (local.get $next)))
      (else (if (i32.eq (i32.load (local.get $slot)) (local.get $pool))
        (then (i32.store (local.get $slot) (local.get $next))))))
    (if (i32.ne (local.get $next) (i32.const -1))
      (then (i32.store offset=24 (i32.add (global.get $pools) (i32.shl (local.get $next) (i32.const 5))) (local.get $prev))))
    (i32.store offset=20 (local.get $at) (i32.const -1))
    (i32.store offset=24 (local.get $at) (i32.const -1)))

  ;; ---------------------------------------------------------------- release

;; Releases `root`, whose count just reached zero, and what dies with it, in core's order (the
  ;; release engine's plain walk, with the collector's untrack and free hooks and pymalloc's free
  ;; written in, as the JIT would inline them). An object is released here when it passes core's
  ;; plain test (alive, mortal, no finalizer or weak reference, release bits plain, no header
  ;; slots) and, besides, has its slots inline, no payload, a known kind and a block in one of
  ;; pymalloc's pools. Returns 0, or 1 having stopped before an object that does not pass (or
  ;; with the walk's stack full): the stack then holds the rest, `bail` values at `walk`, in the
  ;; release engine's format, the object not yet begun on top.
  (func $release (param $root i32) (result i32)
    (local $sp i32) (local $obj i32) (local $cursor i32) (local $w i32) (local $word i32)
    (local $type i32) (local $off i32) (local $len i32) (local $reverse i32) (local $descend i32)
    (local $p i32) (local $child i32) (local $cw i32) (local $c i32) (local $at i32)
    (local $size i32) (local $delta f64) (local $offset i32) (local $pool i32) (local $nfree i32)
    (local $count i32) (local $epoch i32) (local $before i32) (local $after i32)
    (local.set $obj (local.get $root))
    (local.set $cursor (i32.const -1))
    (loop $step
      (local.set $w (i32.shl (local.get $obj) (i32.const 6)))
      (local.set $word (i32.load (local.get $w)))
      (local.set $type (i32.shr_u (local.get $word) (i32.const 16)))
      (if (i32.eq (local.get $cursor) (i32.const -1))
        (then
          (block $plain
            (block $other
              (br_if $other (i32.ne (i32.and (local.get $word) (i32.const 5203)) (i32.const 1)))
              (br_if $other (i32.and (i32.load8_u (i32.add (global.get $releaseBits) (local.get $type))) (i32.const 14)))
              (br_if $other (i32.and (i32.load offset=36 (local.get $w)) (i32.const 65535)))
              (br_if $other (i32.eqz (i32.load8_u (i32.add (global.get $kinds) (local.get $type)))))
              (local.set $size (i32.load offset=32 (local.get $w)))
              (br_if $other (i32.or (i32.eqz (local.get $size)) (i32.gt_u (local.get $size) (i32.const 512))))
              (local.set $delta (f64.sub (f64.load offset=40 (local.get $w)) (global.get $arenaBase)))
              (br_if $other (i32.eqz (i32.and (f64.ge (local.get $delta) (f64.const 0))
                (f64.lt (local.get $delta) (f64.const 2147483648)))))
              (local.set $at (i32.add (global.get $pools)
                (i32.shl (i32.shr_s (i32.trunc_f64_s (local.get $delta)) (i32.const 14)) (i32.const 5))))
              (br_if $other (i32.ge_u (local.get $at) (global.get $poolsEnd)))
              (br_if $plain (i32.ge_s (i32.load offset=8 (local.get $at)) (i32.const 0))))
            ;; Not one for this walk: leave it on top of the stack, not begun, for the host's walk.
            (local.set $at (i32.add (global.get $walk) (i32.shl (local.get $sp) (i32.const 2))))
            (i32.store (local.get $at) (local.get $obj))
            (i32.store offset=4 (local.get $at) (i32.const -1))
            (global.set $bail (i32.add (local.get $sp) (i32.const 2)))
            (return (i32.const 1)))
          ;; Begun: being released, and untracked (out of its list, gc_refs 0).
          (i32.store (local.get $w) (i32.and (i32.or (local.get $word) (i32.const 128)) (i32.const -9)))
          (if (i32.and (local.get $word) (i32.const 8))
            (then
              (if (i32.load offset=52 (local.get $w))
                (then
                  (local.set $before (i32.load offset=56 (local.get $w)))
                  (local.set $after (i32.load offset=52 (local.get $w)))
                  (if (i32.lt_s (local.get $before) (i32.const 0))
                    (then (i32.store (i32.add (global.get $headNext)
                      (i32.shl (i32.sub (i32.const 0) (local.get $before)) (i32.const 2))) (local.get $after)))
                    (else (i32.store offset=52 (i32.shl (local.get $before) (i32.const 6)) (local.get $after))))
                  (if (i32.lt_s (local.get $after) (i32.const 0))
                    (then (i32.store (i32.add (global.get $headPrev)
                      (i32.shl (i32.sub (i32.const 0) (local.get $after)) (i32.const 2))) (local.get $before)))
                    (else (i32.store offset=56 (i32.shl (local.get $after) (i32.const 6)) (local.get $before))))
                  (i32.store offset=52 (local.get $w) (i32.const 0))
                  (i32.store offset=56 (local.get $w) (i32.const 0))))
              (i32.store (i32.add (global.get $refs) (i32.shl (local.get $obj) (i32.const 2))) (i32.const 0))))
          (local.set $cursor (i32.const 0))))
      (local.set $off (i32.load offset=8 (local.get $w)))
      (local.set $len (i32.load offset=12 (local.get $w)))
      (local.set $reverse (i32.and (i32.load8_u (i32.add (global.get $releaseBits) (local.get $type))) (i32.const 1)))
      (local.set $descend (i32.const 0))
      (block $found
        (loop $items
          (br_if $found (i32.ge_s (local.get $cursor) (local.get $len)))
          (local.set $p (i32.shl
            (select
              (i32.sub (i32.add (local.get $off) (i32.sub (local.get $len) (i32.const 1))) (local.get $cursor))
              (i32.add (local.get $off) (local.get $cursor))
              (local.get $reverse))
            (i32.const 2)))
          (local.set $child (i32.load (local.get $p)))
          (local.set $cursor (i32.add (local.get $cursor) (i32.const 1)))
          (if (local.get $child)
            (then
              (i32.store (local.get $p) (i32.const 0))
              (global.set $ops (i32.add (global.get $ops) (i32.const 1)))
              (local.set $cw (i32.shl (local.get $child) (i32.const 6)))
              (local.set $c (i32.sub (i32.load offset=4 (local.get $cw)) (i32.const 1)))
              (i32.store offset=4 (local.get $cw) (local.get $c))
              (if (i32.and (i32.eqz (local.get $c)) (i32.eqz (i32.and (i32.load (local.get $cw)) (i32.const 128))))
                (then (local.set $descend (local.get $child)) (br $found)))))
          (br $items)))
      (if (local.get $descend)
        (then
          (local.set $at (i32.add (global.get $walk) (i32.shl (local.get $sp) (i32.const 2))))
          (i32.store (local.get $at) (local.get $obj))
          (i32.store offset=4 (local.get $at) (local.get $cursor))
          (local.set $sp (i32.add (local.get $sp) (i32.const 2)))
          (if (i32.gt_u (i32.add (local.get $sp) (i32.const 2)) (global.get $walkRoom))
            (then
              ;; The stack is full: the host's walk takes over, the child not yet begun on top.
              (i32.store offset=8 (local.get $at) (local.get $descend))
              (i32.store offset=12 (local.get $at) (i32.const -1))
              (global.set $bail (i32.add (local.get $sp) (i32.const 2)))
              (return (i32.const 1))))
          (local.set $obj (local.get $descend))
          (local.set $cursor (i32.const -1))
          (br $step)))
      ;; The free. pymalloc's: the block back on its pool's free stack; a pool that was full goes
      ;; to the front of its size class's list, one that empties leaves it (its arena is the
      ;; caller's to update, in order).
      (local.set $size (i32.load offset=32 (local.get $w)))
      (local.set $offset (i32.trunc_f64_s (f64.sub (f64.load offset=40 (local.get $w)) (global.get $arenaBase))))
      (local.set $pool (i32.shr_s (local.get $offset) (i32.const 14)))
      (local.set $at (i32.add (global.get $pools) (i32.shl (local.get $pool) (i32.const 5))))
      (global.set $usedBytes (f64.add (global.get $usedBytes)
        (f64.convert_i32_s (i32.shl (i32.add (i32.load offset=8 (local.get $at)) (i32.const 1)) (i32.const 4)))))
      (global.set $blocks (i32.add (global.get $blocks) (i32.const 1)))
      (local.set $nfree (i32.load (local.get $at)))
      (i32.store16
        (i32.add (global.get $stacks) (i32.add (i32.shl (local.get $pool) (i32.const 11)) (i32.shl (local.get $nfree) (i32.const 1))))
        (i32.and (local.get $offset) (i32.const 16383)))
      (i32.store (local.get $at) (i32.add (local.get $nfree) (i32.const 1)))
      (local.set $count (i32.sub (i32.load offset=4 (local.get $at)) (i32.const 1)))
      (i32.store offset=4 (local.get $at) (local.get $count))
      (if (i32.eqz (local.get $nfree))
        (then (call $linkUsedFront (local.get $pool)))
        (else (if (i32.eqz (local.get $count))
          (then
            (call $unlinkUsed (local.get $pool))
            (i32.store (i32.add (global.get $emptied) (i32.shl (global.get $nEmptied) (i32.const 2))) (local.get $pool))
            (global.set $nEmptied (i32.add (global.get $nEmptied) (i32.const 1)))))))
      ;; The collector's free hook: generation 0 counts one container less (not below 0).
      (if (i32.and (global.get $countsAllocations) (i32.ne (global.get $gen0) (i32.const 0)))
        (then (if (i32.and (i32.load8_u (i32.add (global.get $kinds) (local.get $type))) (i32.const 2))
          (then (global.set $gen0 (i32.sub (global.get $gen0) (i32.const 1)))))))
      ;; The live totals, then the record cleared as core's free clears it, the index listed.
      (global.set $liveBytes (f64.sub (global.get $liveBytes) (f64.convert_i32_u (local.get $size))))
      (local.set $epoch (i32.add (i32.load offset=48 (local.get $w)) (i32.const 1)))
      (i32.store offset=8 (local.get $w) (i32.const 0))
      (i32.store offset=12 (local.get $w) (i32.const 0))
      (i32.store offset=36 (local.get $w) (i32.and (i32.load offset=36 (local.get $w)) (i32.const -256)))
      (i32.store (local.get $w) (i32.shl (local.get $type) (i32.const 16)))
      (i32.store offset=48 (local.get $w)
        (select (i32.const 2) (local.get $epoch) (i32.ge_u (local.get $epoch) (i32.const 268435456))))
      (i32.store offset=4 (local.get $w) (i32.const 0))
      (i32.store offset=52 (local.get $w) (i32.const 0))
      (i32.store offset=56 (local.get $w) (i32.const 0))
      (i32.store offset=60 (local.get $w) (i32.const 0))
      (i32.store (i32.add (global.get $freed) (i32.shl (global.get $nFreed) (i32.const 2))) (local.get $obj))
      (global.set $bytes (f64.add (global.get $bytes) (f64.convert_i32_u (local.get $size))))
      (if (i32.eqz (global.get $nFreed)) (then (global.set $liveAfterFirst (global.get $liveBytes))))
      (global.set $nFreed (i32.add (global.get $nFreed) (i32.const 1)))
      (if (i32.eqz (local.get $sp)) (then (return (i32.const 0))))
      (local.set $sp (i32.sub (local.get $sp) (i32.const 2)))
      (local.set $at (i32.add (global.get $walk) (i32.shl (local.get $sp) (i32.const 2))))
      (local.set $obj (i32.load (local.get $at)))
      (local.set $cursor (i32.load offset=4 (local.get $at)))
      (br $step))
    (i32.const 0))

  ;; Drops one reference to `o` (heap.dec): at zero, unless it is being released, it is
  ;; released. Returns what `$release` returns.
  (func $drop (param $o i32) (result i32)
    (local $w i32) (local $c i32)
    (local.set $w (i32.shl (local.get $o) (i32.const 6)))
    (global.set $ops (i32.add (global.get $ops) (i32.const 1)))
    (local.set $c (i32.sub (i32.load offset=4 (local.get $w)) (i32.const 1)))
    (i32.store offset=4 (local.get $w) (local.get $c))
    (if (i32.or (local.get $c) (i32.and (i32.load (local.get $w)) (i32.const 128))) (then (return (i32.const 0))))
    (call $release (local.get $o)))

  ;; ---------------------------------------------------------------- delete_garbage

  ;; Clears every object of list `still` in turn, as the collector's deleteGarbage does without
  ;; DEBUG_SAVEALL: held by one reference, its items detached and dropped (last first for
  ;; lists), the reference dropped; what is still alive then moves to list `old`. Returns 0 when
  ;; the list is empty; 2 when the object at its head is one to clear the host's way (header
  ;; slots, a first slot kept, an unknown kind, more items than `items` holds), untouched; 1 when a release stopped (see
  ;; `$release`), with `bail` values of the walk's stack, the items not yet dropped at `items`
  ;; from index `pending()` to `pendingEnd()`, the object being cleared at `holder()`, and
  ;; whether its extra reference is still to drop at `held()`.
  (global $pending (mut i32) (i32.const 0))
  (global $pendingEnd (mut i32) (i32.const 0))
  (global $holder (mut i32) (i32.const 0))
  (global $held (mut i32) (i32.const 0))
  (func (export "pending") (result i32) (global.get $pending))
  (func (export "held") (result i32) (global.get $held))
  (func (export "pendingEnd") (result i32) (global.get $pendingEnd))
  (func (export "holder") (result i32) (global.get $holder))

  (func (export "deleteGarbage") (param $still i32) (param $old i32) (result i32)
    (local $o i32) (local $w i32) (local $word i32) (local $kind i32) (local $off i32) (local $len i32)
    (local $p i32) (local $end i32) (local $c i32) (local $n i32) (local $k i32) (local $reverse i32)
    (local $item i32)
    (loop $each
      (local.set $o (i32.load (i32.add (global.get $headNext) (i32.shl (local.get $still) (i32.const 2)))))
      (if (i32.le_s (local.get $o) (i32.const 0)) (then (return (i32.const 0))))
      (local.set $w (i32.shl (local.get $o) (i32.const 6)))
      (local.set $word (i32.load (local.get $w)))
      (local.set $kind (i32.load8_u (i32.add (global.get $kinds) (i32.shr_u (local.get $word) (i32.const 16)))))
      (if (i32.or (i32.eqz (local.get $kind))
            (i32.or (i32.load8_u offset=37 (local.get $w)) (i32.and (local.get $kind) (i32.const 64))))
        (then (return (i32.const 2))))
      (if (i32.gt_u (i32.load offset=12 (local.get $w)) (global.get $itemsRoom)) (then (return (i32.const 2))))
      (if (i32.eqz (i32.and (local.get $kind) (i32.const 16)))
        (then
          ;; Held: one more reference meanwhile.
          (i32.store offset=4 (local.get $w) (i32.add (i32.load offset=4 (local.get $w)) (i32.const 1)))
          (global.set $ops (i32.add (global.get $ops) (i32.const 1)))
          (local.set $off (i32.load offset=8 (local.get $w)))
          (local.set $len (i32.load offset=12 (local.get $w)))
          (local.set $n (i32.const 0))
          (if (i32.eq (local.get $len) (i32.const 1))
            (then
              ;; One slot: an empty one leaves the length as it is (the collector's clear does).
              (local.set $c (i32.load (i32.shl (local.get $off) (i32.const 2))))
              (if (local.get $c)
                (then
                  (i32.store (i32.shl (local.get $off) (i32.const 2)) (i32.const 0))
                  (if (i32.and (local.get $word) (i32.const 32)) (then (i32.store offset=12 (local.get $w) (i32.const 0))))
                  (i32.store (global.get $items) (local.get $c))
                  (local.set $n (i32.const 1)))))
            (else
              (local.set $p (local.get $off))
              (local.set $end (i32.add (local.get $off) (local.get $len)))
              (block $detached
                (loop $detach
                  (br_if $detached (i32.ge_s (local.get $p) (local.get $end)))
                  (local.set $c (i32.load (i32.shl (local.get $p) (i32.const 2))))
                  (if (local.get $c)
                    (then
                      (i32.store (i32.add (global.get $items) (i32.shl (local.get $n) (i32.const 2))) (local.get $c))
                      (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (i32.store (i32.shl (local.get $p) (i32.const 2)) (i32.const 0))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $detach)))
              (if (i32.and (local.get $word) (i32.const 32)) (then (i32.store offset=12 (local.get $w) (i32.const 0))))))
          (local.set $reverse (i32.ne (i32.and (local.get $kind) (i32.const 32)) (i32.const 0)))
          (local.set $k (i32.const 0))
          (block $dropped
            (loop $drop
              (br_if $dropped (i32.ge_s (local.get $k) (local.get $n)))
              (local.set $item (i32.load (i32.add (global.get $items)
                (i32.shl (select (i32.sub (i32.sub (local.get $n) (i32.const 1)) (local.get $k)) (local.get $k) (local.get $reverse))
                  (i32.const 2)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (if (call $drop (local.get $item))
                (then
                  ;; Stopped: the items still to drop, in order, go to the front of `items`.
                  ;; Reversed, the items of a last-first clear still to drop run forwards too.
                  (if (local.get $reverse) (then (call $reverseItems (local.get $n))))
                  (global.set $pending (local.get $k))
                  (global.set $pendingEnd (local.get $n))
                  (global.set $holder (local.get $o))
                  (global.set $held (i32.const 1))
                  (return (i32.const 1))))
              (br $drop)))
          (if (call $drop (local.get $o))
            (then
              (global.set $pending (i32.const 0))
              (global.set $pendingEnd (i32.const 0))
              (global.set $holder (local.get $o))
              (global.set $held (i32.const 0))
              (return (i32.const 1))))))
      (global.set $visited (i32.add (global.get $visited) (i32.const 1)))
      (if (i32.eq (i32.load (i32.add (global.get $headNext) (i32.shl (local.get $still) (i32.const 2)))) (local.get $o))
        (then
          (i32.store (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2))) (i32.const 0))
          (call $moveRun (local.get $o) (local.get $o) (local.get $old))))
      (br $each))
    (i32.const 0))

  ;; Reverses items[0..n), so that the items still to drop of a reversed clear run forwards.
  (func $reverseItems (param $n i32)
    (local $i i32) (local $j i32) (local $a i32) (local $t i32)
    (local.set $i (i32.const 0))
    (local.set $j (i32.sub (local.get $n) (i32.const 1)))
    (block $done
      (loop $swap
        (br_if $done (i32.ge_s (local.get $i) (local.get $j)))
        (local.set $a (i32.add (global.get $items) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $t (i32.load (local.get $a)))
        (i32.store (local.get $a) (i32.load (i32.add (global.get $items) (i32.shl (local.get $j) (i32.const 2)))))
        (i32.store (i32.add (global.get $items) (i32.shl (local.get $j) (i32.const 2))) (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br $swap))))
;; ---------------------------------------------------------------- deduce_unreachable

  (global $order (mut i32) (i32.const 0))      ;; the base list's objects in order, one word each
  (global $scanned (mut i32) (i32.const 0))
  (global $moved (mut i32) (i32.const 0))
  (func (export "setOrder") (param $order i32) (global.set $order (local.get $order)))
  (func (export "scanned") (result i32) (global.get $scanned))
  (func (export "moved") (result i32) (global.get $moved))

  ;; Whether no item of `o` may be tracked (an empty slot keeps a tuple tracked, as a tuple still
  ;; being filled is): `_PyObject_GC_MAY_BE_TRACKED` false for every item.
  (func $untrackable (param $o i32) (result i32)
    (local $w i32) (local $p i32) (local $end i32) (local $c i32) (local $k i32)
    (local.set $w (i32.shl (local.get $o) (i32.const 6)))
    (local.set $p (i32.load offset=8 (local.get $w)))
    (local.set $end (i32.add (local.get $p) (i32.load offset=12 (local.get $w))))
    (block $done
      (loop $items
        (br_if $done (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $c (i32.load (i32.shl (local.get $p) (i32.const 2))))
        (if (i32.eqz (local.get $c)) (then (return (i32.const 0))))
        (local.set $k (i32.load8_u (i32.add (global.get $kinds)
          (i32.load16_u offset=2 (i32.shl (local.get $c) (i32.const 6))))))
        (if (i32.and (local.get $k) (i32.const 2))
          (then
            (if (i32.eqz (i32.and (local.get $k) (i32.const 4))) (then (return (i32.const 0))))
            (if (i32.and (i32.load (i32.shl (local.get $c) (i32.const 6))) (i32.const 8)) (then (return (i32.const 0))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $items)))
    (i32.const 1))

  ;; CPython's deduce_unreachable, as the collector's deduceUnreachable: gc_refs from the counts
  ;; (plus one) over list `base`, recording its order; the references from inside subtracted; then
  ;; move_unreachable, keeping what is referenced from outside and what it reaches (an object
  ;; moved too early comes back to the end of `base`) and moving runs of the rest to
  ;; `unreachable`. With `tuples`, each kept tuple none of whose items may be tracked is untracked
  ;; right after it is scanned. Returns the number of objects left in `base`; `moved()` is the
  ;; number moved, `visited()` and `scanned()` the work.
  (func (export "deduce") (param $base i32) (param $unreachable i32) (param $tuples i32) (result i32)
    (local $o i32) (local $w i32) (local $count i32) (local $k i32) (local $p i32) (local $end i32)
    (local $c i32) (local $rp i32) (local $r i32) (local $kept i32) (local $moved i32)
    (local $following i32) (local $last i32) (local $next i32) (local $visited i32) (local $scanned i32)
    ;; update_refs
    (local.set $o (i32.load (i32.add (global.get $headNext) (i32.shl (local.get $base) (i32.const 2)))))
    (block $counted
      (loop $count
        (br_if $counted (i32.le_s (local.get $o) (i32.const 0)))
        (local.set $w (i32.shl (local.get $o) (i32.const 6)))
        (i32.store (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2)))
          (i32.add (i32.load offset=4 (local.get $w)) (i32.const 1)))
        (i32.store (i32.add (global.get $order) (i32.shl (local.get $count) (i32.const 2))) (local.get $o))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $o (i32.load offset=52 (local.get $w)))
        (br $count)))
    (local.set $visited (local.get $count))
    ;; subtract_refs
    (local.set $k (i32.const 0))
    (block $subtracted
      (loop $subtract
        (br_if $subtracted (i32.ge_s (local.get $k) (local.get $count)))
        (local.set $w (i32.shl (i32.load (i32.add (global.get $order) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 6)))
        (local.set $p (i32.load offset=8 (local.get $w)))
        (local.set $end (i32.add (local.get $p) (i32.load offset=12 (local.get $w))))
        (local.set $scanned (i32.add (local.get $scanned) (i32.sub (local.get $end) (local.get $p))))
        (block $done
          (loop $items
            (br_if $done (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $rp (i32.add (global.get $refs) (i32.shl (i32.load (i32.shl (local.get $p) (i32.const 2))) (i32.const 2))))
            (local.set $r (i32.load (local.get $rp)))
            (if (i32.gt_s (local.get $r) (i32.const 0)) (then (i32.store (local.get $rp) (i32.sub (local.get $r) (i32.const 1)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $items)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $subtract)))
    ;; move_unreachable
    (i32.store (i32.add (global.get $headNext) (i32.shl (local.get $unreachable) (i32.const 2)))
      (i32.sub (i32.const 0) (local.get $unreachable)))
    (i32.store (i32.add (global.get $headPrev) (i32.shl (local.get $unreachable) (i32.const 2)))
      (i32.sub (i32.const 0) (local.get $unreachable)))
    (local.set $o (i32.load (i32.add (global.get $headNext) (i32.shl (local.get $base) (i32.const 2)))))
    (block $walked
      (loop $walk
        (br_if $walked (i32.le_s (local.get $o) (i32.const 0)))
        (local.set $w (i32.shl (local.get $o) (i32.const 6)))
        (if (i32.gt_s (i32.load (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2)))) (i32.const 1))
          (then
            ;; Reachable: what it references is too (and comes back if it was moved too early).
            (local.set $p (i32.load offset=8 (local.get $w)))
            (local.set $end (i32.add (local.get $p) (i32.load offset=12 (local.get $w))))
            (local.set $scanned (i32.add (local.get $scanned) (i32.sub (local.get $end) (local.get $p))))
            (block $done
              (loop $items
                (br_if $done (i32.ge_s (local.get $p) (local.get $end)))
                (local.set $c (i32.load (i32.shl (local.get $p) (i32.const 2))))
                (local.set $rp (i32.add (global.get $refs) (i32.shl (local.get $c) (i32.const 2))))
                (local.set $r (i32.load (local.get $rp)))
                (if (i32.eq (local.get $r) (i32.const 1))
                  (then (i32.store (local.get $rp) (i32.const 2)))
                  (else (if (i32.lt_s (local.get $r) (i32.const 0))
                    (then
                      (call $moveRun (local.get $c) (local.get $c) (local.get $base))
                      (local.set $moved (i32.sub (local.get $moved) (i32.const 1)))
                      (i32.store (local.get $rp) (i32.const 2))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $items)))
            (i32.store (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2))) (i32.const 0))
            (local.set $visited (i32.add (local.get $visited) (i32.const 1)))
            (local.set $kept (i32.add (local.get $kept) (i32.const 1)))
            ;; Scanning may have appended to base: read the successor only now.
            (local.set $following (i32.load offset=52 (local.get $w)))
            (if (local.get $tuples)
              (then
                (if (i32.and (i32.load8_u (i32.add (global.get $kinds) (i32.load16_u offset=2 (local.get $w)))) (i32.const 4))
                  (then
                    (if (call $untrackable (local.get $o))
                      (then
                        ;; Untracked (heap.untrackIndex and the collector's untrack).
                        (if (i32.and (i32.load (local.get $w)) (i32.const 8))
                          (then
                            (i32.store (local.get $w) (i32.and (i32.load (local.get $w)) (i32.const -9)))
                            (if (i32.load offset=52 (local.get $w))
                              (then
                                (call $unlinkRun (local.get $o) (local.get $o))
                                (i32.store offset=52 (local.get $w) (i32.const 0))
                                (i32.store offset=56 (local.get $w) (i32.const 0))))
                            (i32.store (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2))) (i32.const 0))))
                        (local.set $kept (i32.sub (local.get $kept) (i32.const 1)))))))))
            (local.set $o (local.get $following)))
          (else
            ;; The run of objects from here not (yet) known reachable moves as one block.
            (local.set $last (local.get $o))
            (local.set $next (i32.load offset=52 (local.get $w)))
            (i32.store (i32.add (global.get $refs) (i32.shl (local.get $o) (i32.const 2))) (i32.const -1))
            (local.set $visited (i32.add (local.get $visited) (i32.const 1)))
            (local.set $moved (i32.add (local.get $moved) (i32.const 1)))
            (block $ended
              (loop $run
                (br_if $ended (i32.le_s (local.get $next) (i32.const 0)))
                (local.set $rp (i32.add (global.get $refs) (i32.shl (local.get $next) (i32.const 2))))
                (br_if $ended (i32.gt_s (i32.load (local.get $rp)) (i32.const 1)))
                (i32.store (local.get $rp) (i32.const -1))
                (local.set $visited (i32.add (local.get $visited) (i32.const 1)))
                (local.set $moved (i32.add (local.get $moved) (i32.const 1)))
                (local.set $last (local.get $next))
                (local.set $next (i32.load offset=52 (i32.shl (local.get $next) (i32.const 6))))
                (br $run)))
            (call $moveRun (local.get $o) (local.get $last) (local.get $unreachable))
            (local.set $o (local.get $next))))
        (br $walk)))
    (global.set $moved (local.get $moved))
    (global.set $visited (local.get $visited))
    (global.set $scanned (local.get $scanned))
    (local.get $kept))
)
