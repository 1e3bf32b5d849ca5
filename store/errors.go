package store

import (
	"errors"
	"fmt"
)

// Error is a kind of failure of the store, with a message in Vietnamese and in English. The
// Err* values are the kinds; errors returned by the store match them with errors.Is and may
// carry detail (the path, the household id, the underlying cause).
type Error struct {
	VI, EN string
}

func (e *Error) Error() string { return e.VI + " / " + e.EN }

// Message returns the message in one language ("en" gives English, anything else Vietnamese).
func (e *Error) Message(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.VI
}

// The kinds of error the store returns.
var (
	ErrLocked = &Error{
		"Cơ sở dữ liệu đang được một cửa sổ Rà soát khác sử dụng; hãy đóng cửa sổ đó rồi thử lại",
		"The database is in use by another copy of rasoat; close it and try again"}
	ErrNewerSchema = &Error{
		"Cơ sở dữ liệu được tạo bởi phiên bản Rà soát mới hơn; hãy cập nhật chương trình",
		"The database was made by a newer version of rasoat; please update the program"}
	ErrCorrupt = &Error{
		"Tệp cơ sở dữ liệu bị hỏng; hãy khôi phục từ bản sao lưu",
		"The database file is corrupted; restore it from a backup"}
	ErrNotStore = &Error{
		"Tệp này không phải cơ sở dữ liệu Rà soát",
		"This file is not a rasoat database"}
	ErrNotExist = &Error{
		"Không tìm thấy tệp cơ sở dữ liệu",
		"The database file does not exist"}
	ErrOpen = &Error{
		"Không mở được tệp cơ sở dữ liệu",
		"Cannot open the database file"}
	ErrExists = &Error{
		"Tệp cơ sở dữ liệu đã tồn tại; không ghi đè",
		"The database file already exists; it is not overwritten"}
	ErrNotFound = &Error{
		"Không tìm thấy hộ hoặc phiên bản",
		"No such household or revision"}
	ErrDeleted = &Error{
		"Hộ này đã bị xóa",
		"This household has been deleted"}
	ErrConflict = &Error{
		"Hộ này có hai phiên bản sửa đồng thời; hãy chọn một phiên bản trong lịch sử (khôi phục) trước",
		"This household has two concurrent versions; choose one from its history (restore) first"}
	ErrRole = &Error{
		"Chỉ bản dữ liệu của phường (văn phòng) mới được duyệt hoặc trả lại phiếu",
		"Only the ward office's copy may approve or return households"}
	ErrStatus = &Error{
		"Trạng thái phiếu không hợp lệ cho thao tác này",
		"The household's status does not allow this"}
	ErrInvalid = &Error{
		"Dữ liệu không hợp lệ",
		"Invalid data"}
)

// detailed is an error of a kind with detail in both languages and an optional cause.
type detailed struct {
	kind   *Error
	vi, en string
	cause  error
}

func (e *detailed) Error() string {
	s := e.kind.VI
	if e.vi != "" {
		s += ": " + e.vi
	}
	s += " / " + e.kind.EN
	if e.en != "" {
		s += ": " + e.en
	}
	if e.cause != nil {
		s += " (" + e.cause.Error() + ")"
	}
	return s
}

// Message returns the message in one language, with its detail.
func (e *detailed) Message(lang string) string {
	s := e.kind.Message(lang)
	d := e.vi
	if lang == "en" {
		d = e.en
	}
	if d != "" {
		s += ": " + d
	}
	return s
}

func (e *detailed) Is(target error) bool { return target == e.kind }
func (e *detailed) Unwrap() error        { return e.cause }

// errorf returns an error of a kind with detail formatted from the same arguments in both
// languages.
func errorf(kind *Error, cause error, vi, en string, args ...any) error {
	return &detailed{kind: kind, vi: fmt.Sprintf(vi, args...), en: fmt.Sprintf(en, args...), cause: cause}
}

// Message returns err's message in one language when it has one (store errors, household
// problems), or err.Error() otherwise. The GUI shows this.
func Message(err error, lang string) string {
	var m interface{ Message(string) string }
	if errors.As(err, &m) {
		return m.Message(lang)
	}
	return err.Error()
}

// Errorf returns an error of a kind with detail in both languages (formatted from the same
// arguments) and an optional cause, for packages that define kinds of their own (sync).
func Errorf(kind *Error, cause error, vi, en string, args ...any) error {
	return errorf(kind, cause, vi, en, args...)
}
