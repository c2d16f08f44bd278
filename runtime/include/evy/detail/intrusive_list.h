// IntrusiveList: the one FIFO of objects linked through their own members,
// used by the hub's run and remote queues, its list of fibers that make
// signal-interruptible waits, WaitQueue, the thread
// pool's jobs and the thread module's handoffs. It allocates nothing and
// does no locking: whoever owns the list guards it. C++11 (public headers).
#pragma once

#include <evy/detail/assert.h>

namespace evy {
namespace detail {

// IntrusiveList<T, &T::next> is a singly linked FIFO; with a third
// argument, &T::prev, it is doubly linked and remove() is O(1). An object
// is in at most one list per pair of links; its links are the list's while
// it is queued, and pop_front()/remove() leave them null.
template <class T, T *T::*Next, T *T::*Prev = nullptr> class IntrusiveList {
public:
  constexpr IntrusiveList() noexcept = default;
  IntrusiveList(const IntrusiveList &) = delete;
  IntrusiveList &operator=(const IntrusiveList &) = delete;
  // Moving takes the other list's items, leaving it empty.
  IntrusiveList(IntrusiveList &&other) noexcept : head_(other.head_), tail_(other.tail_) {
    other.head_ = other.tail_ = nullptr;
  }
  IntrusiveList &operator=(IntrusiveList &&other) noexcept {
    EVY_ASSERT(empty() || this == &other); // items are never dropped
    head_ = other.head_;
    tail_ = other.tail_;
    if (this != &other)
      other.head_ = other.tail_ = nullptr;
    return *this;
  }

  // empty() tells whether nothing is queued.
  bool empty() const noexcept { return head_ == nullptr; }
  // front() is the oldest item, or nullptr.
  T *front() const noexcept { return head_; }
  // back() is the newest item, or nullptr.
  T *back() const noexcept { return tail_; }
  // next() is the item queued after item, or nullptr.
  static T *next(const T &item) noexcept { return item.*Next; }

  // push_back() appends an item that is in no list of these links.
  void push_back(T &item) noexcept {
    EVY_ASSERT(Prev == nullptr || (item.*Next == nullptr && item.*Prev == nullptr &&
                                   head_ != &item)); // in no list
    item.*Next = nullptr;
    if (Prev != nullptr)
      item.*Prev = tail_;
    (tail_ != nullptr ? tail_->*Next : head_) = &item;
    tail_ = &item;
  }

  // pop_front() unlinks and returns the oldest item, or nullptr.
  T *pop_front() noexcept {
    T *item = head_;
    if (item == nullptr)
      return nullptr;
    head_ = item->*Next;
    if (head_ == nullptr)
      tail_ = nullptr;
    else if (Prev != nullptr)
      head_->*Prev = nullptr;
    item->*Next = nullptr;
    return item;
  }

  // remove() unlinks item if it is queued here and reports whether it was
  // (doubly linked lists only).
  bool remove(T &item) noexcept {
    static_assert(Prev != nullptr, "remove() needs the prev link");
    if (item.*Prev == nullptr && head_ != &item)
      return false; // not in this list
    (item.*Prev != nullptr ? item.*Prev->*Next : head_) = item.*Next;
    (item.*Next != nullptr ? item.*Next->*Prev : tail_) = item.*Prev;
    item.*Next = item.*Prev = nullptr;
    return true;
  }

private:
  T *head_ = nullptr;
  T *tail_ = nullptr;
};

} // namespace detail
} // namespace evy
