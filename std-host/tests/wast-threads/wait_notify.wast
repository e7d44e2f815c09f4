;; wait / notify between two threads.
;;
;; The waiter waits at address 0 for the value 0, without a timeout. The notifier writes a
;; message (its argument, 42, at address 8, a plain store), then notifies address 0 again
;; and again until a notify reports one thread woken: the waiter may not be waiting yet.
;; The word at 0 stays 0, so the waiter's wait can only end woken ("ok", 0), and waking
;; synchronizes: the waiter then reads the message.

(module $Mem (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

(thread $Waiter (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    ;; The wait's result (0 ok, 1 not-equal, 2 timed-out) and the message read after it.
    (func (export "wait") (result i32 i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))
      (i32.load (i32.const 8))))
  (assert_return (invoke "wait") (i32.const 0) (i32.const 42)))

(thread $Notifier (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    ;; How many waiters the last notify woke: 1, or 0 after 100 million tries (seconds), so
    ;; that a waiter that never comes fails the script instead of hanging it.
    (func (export "notify") (param $message i32) (result i32)
      (local $woken i32)
      (local $tries i32)
      (i32.store (i32.const 8) (local.get $message))
      (loop $again
        (local.set $woken (memory.atomic.notify (i32.const 0) (i32.const 1)))
        (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
        (br_if $again
          (i32.and (i32.eqz (local.get $woken))
                   (i32.lt_u (local.get $tries) (i32.const 100000000)))))
      (local.get $woken)))
  (assert_return (invoke "notify" (i32.const 42)) (i32.const 1)))

(wait $Waiter)
(wait $Notifier)

;; The message is in the shared memory for the main script too.
(module $Check
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "message") (result i32) (i32.load (i32.const 8))))
(assert_return (invoke $Check "message") (i32.const 42))
