#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace chiptrail::sim {

// A move-only `void()` callable for scheduled events, lighter than std::function on the
// engine's hot path: callables of up to 24 bytes that are trivially copyable (lambdas capturing
// pointers, indices, coroutine handles — nearly every event) are stored inline and moved with a
// memcpy, with no indirect call to move or destroy them. Anything else is stored inline with a
// manager function, or on the heap when too large.
class Action {
 public:
  Action() = default;
  Action(std::nullptr_t) {}  // NOLINT: allows `action = nullptr`

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Action> &&
                                                    std::is_invocable_r_v<void, std::decay_t<F>&>>>
  Action(F&& f) {  // NOLINT: implicit, like std::function
    using Fn = std::decay_t<F>;
    if constexpr (fits_inline<Fn>()) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      invoke_ = [](void* s) { (*std::launder(static_cast<Fn*>(s)))(); };
      if constexpr (!std::is_trivially_copyable_v<Fn>) {
        manage_ = [](Op op, void* self, void* other) {
          Fn* mine = std::launder(static_cast<Fn*>(self));
          if (op == Op::kMoveTo) ::new (other) Fn(std::move(*mine));
          mine->~Fn();
        };
      }
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      std::memcpy(storage_, &heap, sizeof heap);
      invoke_ = [](void* s) {
        Fn* p;
        std::memcpy(&p, s, sizeof p);
        (*p)();
      };
      manage_ = [](Op op, void* self, void* other) {
        if (op == Op::kMoveTo) {
          std::memcpy(other, self, sizeof(Fn*));
        } else {
          Fn* p;
          std::memcpy(&p, self, sizeof p);
          delete p;
        }
      };
    }
  }

  Action(Action&& o) noexcept { take(o); }
  Action& operator=(Action&& o) noexcept {
    if (this != &o) {
      reset();
      take(o);
    }
    return *this;
  }
  Action& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  Action(const Action&) = delete;
  Action& operator=(const Action&) = delete;
  ~Action() { reset(); }

  void operator()() { invoke_(storage_); }
  explicit operator bool() const { return invoke_ != nullptr; }

 private:
  enum class Op { kMoveTo, kDestroy };
  static constexpr std::size_t kInlineSize = 24;
  static constexpr std::size_t kInlineAlign = alignof(void*);

  template <typename Fn>
  static constexpr bool fits_inline() {
    return sizeof(Fn) <= kInlineSize && alignof(Fn) <= kInlineAlign &&
           std::is_nothrow_move_constructible_v<Fn>;
  }

  void take(Action& o) noexcept {
    invoke_ = o.invoke_;
    manage_ = o.manage_;
    if (manage_ != nullptr)
      manage_(Op::kMoveTo, o.storage_, storage_);
    else
      std::memcpy(storage_, o.storage_, kInlineSize);
    o.invoke_ = nullptr;
    o.manage_ = nullptr;
  }
  void reset() noexcept {
    if (manage_ != nullptr) manage_(Op::kDestroy, storage_, nullptr);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

  alignas(kInlineAlign) unsigned char storage_[kInlineSize];
  void (*invoke_)(void*) = nullptr;
  void (*manage_)(Op, void*, void*) = nullptr;
};

}  // namespace chiptrail::sim
