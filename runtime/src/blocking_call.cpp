// BlockingCall's helpers that are not templates (see blocking_call.h).
#include "blocking_call.h"

namespace evy::detail {

IovCursor::IovCursor(const struct iovec *iov, int count)
    : copy_(count <= 8 ? inline_ : new struct iovec[count > 0 ? count : 1]), original_(iov),
      count_(count < 0 ? 0 : count) {
  for (int i = 0; i < count_; ++i)
    total_ += iov[i].iov_len;
}

IovCursor::~IovCursor() {
  if (copy_ != inline_)
    delete[] copy_;
}

struct iovec *IovCursor::at(std::size_t done, int &count) noexcept {
  int first = 0;
  while (first < count_ && done >= original_[first].iov_len) {
    done -= original_[first].iov_len;
    ++first;
  }
  count = count_ - first;
  for (int i = 0; i < count; ++i)
    copy_[i] = original_[first + i];
  if (count > 0) {
    copy_[0].iov_base = static_cast<char *>(copy_[0].iov_base) + done;
    copy_[0].iov_len -= done;
  }
  return copy_;
}

} // namespace evy::detail
