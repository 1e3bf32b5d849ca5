package store

import (
	"errors"
	"syscall"
)

// ErrDiskFull: the disk has no room for the change. bbolt rolls the transaction back, so
// nothing stored before is lost or changed.
var ErrDiskFull = &Error{
	"Ổ đĩa đã đầy nên chưa lưu được thay đổi này; dữ liệu đã lưu trước đó vẫn nguyên vẹn. Hãy giải phóng dung lượng (xóa bớt tệp) rồi thử lại",
	"The disk is full, so this change was not saved; everything saved before is intact. Free some space and try again"}

// diskFull turns a no-space error into ErrDiskFull, keeping the cause.
func diskFull(err error) error {
	if err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)) && !errors.Is(err, ErrDiskFull) {
		return errorf(ErrDiskFull, err, "", "")
	}
	return err
}
