package sync

import (
	"errors"
	"fmt"
)

// Error is a kind of refusal or failure of sync, with its message in Vietnamese and English.
// Errors returned by this package match their kind with errors.Is and may carry detail.
// store.Message(err, lang) gives the message in one language.
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

// Kinds of error. The first group are refusals of a batch: nothing is written when a batch is
// refused.
var (
	ErrTampered = &Error{
		"Lô dữ liệu đã bị sửa đổi hoặc hỏng",
		"The batch was altered or damaged"}
	ErrNotForUs = &Error{
		"Lô dữ liệu không gửi cho máy này (của phường khác, thiết bị khác, hoặc đã hỏng)",
		"The batch is not addressed to this computer (another ward or device, or damaged)"}
	ErrUnknownDevice = &Error{
		"Thiết bị gửi lô dữ liệu chưa đăng ký với phường",
		"The device that sent the batch is not enrolled with the ward"}
	ErrRevoked = &Error{
		"Thiết bị gửi lô dữ liệu đã bị thu hồi quyền đồng bộ",
		"The device that sent the batch has been revoked"}
	ErrBadSignature = &Error{
		"Chữ ký của lô dữ liệu không hợp lệ",
		"The batch's signature is not valid"}
	ErrWrongWard = &Error{
		"Lô dữ liệu thuộc phường khác",
		"The batch belongs to another ward"}
	ErrVersion = &Error{
		"Phiên bản định dạng lô dữ liệu không được hỗ trợ; hãy cập nhật chương trình",
		"The batch format version is not supported; update the program"}
	ErrTooLarge = &Error{
		"Lô dữ liệu quá lớn",
		"The batch is too large"}
	ErrNotBatch = &Error{
		"Tệp này không phải lô dữ liệu đồng bộ Rà soát",
		"This file is not a rasoat sync batch"}
	ErrTooManyWaiting = &Error{
		"Đã có quá nhiều lô dữ liệu của thiết bị này chờ các lô trước chúng; hãy nhập các lô còn thiếu trước",
		"Too many batches of this device are already waiting for earlier ones; import the missing batches first"}

	ErrNotEnrolled = &Error{
		"Máy này chưa đăng ký với văn phòng phường; hãy làm thủ tục đăng ký trước",
		"This laptop is not enrolled with the ward office; enroll it first"}
	ErrNotOffice = &Error{
		"Chỉ bản dữ liệu của văn phòng phường mới làm được việc này",
		"Only the ward office's copy can do this"}
	ErrNotField = &Error{
		"Chỉ máy của điều tra viên mới làm được việc này",
		"Only a surveyor's laptop can do this"}
	ErrCode = &Error{
		"Mã xác nhận không khớp với yêu cầu đăng ký",
		"The confirmation code does not match the enrollment request"}
	ErrEnrollment = &Error{
		"Tệp đăng ký không hợp lệ",
		"The enrollment file is not valid"}
	ErrCertificate = &Error{
		"Chứng chỉ của máy chủ văn phòng không khớp với chứng chỉ đã đăng ký",
		"The office server's certificate does not match the enrolled one"}
	ErrServer = &Error{
		"Máy chủ văn phòng từ chối hoặc không trả lời đúng",
		"The office server refused or answered wrongly"}
	ErrNetwork = &Error{
		"Không kết nối được với máy chủ văn phòng",
		"Cannot reach the office server"}
)

// kinds lists the kinds, so that a kind can be found again from its English message (the
// server sends it to the client).
var kinds = []*Error{ErrTampered, ErrNotForUs, ErrUnknownDevice, ErrRevoked, ErrBadSignature,
	ErrWrongWard, ErrVersion, ErrTooLarge, ErrNotBatch, ErrTooManyWaiting, ErrNotEnrolled, ErrNotOffice, ErrNotField,
	ErrCode, ErrEnrollment, ErrCertificate, ErrServer, ErrNetwork}

// Refusals are the kinds of error that refuse a batch.
var Refusals = []*Error{ErrTampered, ErrNotForUs, ErrUnknownDevice, ErrRevoked, ErrBadSignature,
	ErrWrongWard, ErrVersion, ErrTooLarge, ErrNotBatch, ErrTooManyWaiting}

// IsRefusal reports whether err refuses a batch (as opposed to failing to store it).
func IsRefusal(err error) bool {
	for _, k := range Refusals {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

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

// kindOf returns the kind of err, or nil.
func kindOf(err error) *Error {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
