package sync

import (
	"errors"

	"github.com/rasoat/rasoat/store"
)

// Error is a kind of refusal or failure of sync, with its message in Vietnamese and English:
// the store's error type, so that store.Message(err, lang) and errors.Is work the same on both.
type Error = store.Error

// Kinds of error. The first group are refusals of a batch: nothing is written when a batch is
// refused.
var (
	ErrTampered = &Error{
		VI: "Lô dữ liệu đã bị sửa đổi hoặc hỏng",
		EN: "The batch was altered or damaged"}
	ErrNotForUs = &Error{
		VI: "Lô dữ liệu không gửi cho máy này (của phường khác, thiết bị khác, hoặc đã hỏng)",
		EN: "The batch is not addressed to this computer (another ward or device, or damaged)"}
	ErrUnknownDevice = &Error{
		VI: "Thiết bị gửi lô dữ liệu chưa đăng ký với phường",
		EN: "The device that sent the batch is not enrolled with the ward"}
	ErrRevoked = &Error{
		VI: "Thiết bị gửi lô dữ liệu đã bị thu hồi quyền đồng bộ",
		EN: "The device that sent the batch has been revoked"}
	ErrBadSignature = &Error{
		VI: "Chữ ký của lô dữ liệu không hợp lệ",
		EN: "The batch's signature is not valid"}
	ErrWrongWard = &Error{
		VI: "Lô dữ liệu thuộc phường khác",
		EN: "The batch belongs to another ward"}
	ErrVersion = &Error{
		VI: "Phiên bản định dạng lô dữ liệu không được hỗ trợ; hãy cập nhật chương trình",
		EN: "The batch format version is not supported; update the program"}
	ErrTooLarge = &Error{
		VI: "Lô dữ liệu quá lớn",
		EN: "The batch is too large"}
	ErrNotBatch = &Error{
		VI: "Tệp này không phải lô dữ liệu đồng bộ Rà soát",
		EN: "This file is not a rasoat sync batch"}
	ErrTooManyWaiting = &Error{
		VI: "Đã có quá nhiều lô dữ liệu của thiết bị này chờ các lô trước chúng; hãy nhập các lô còn thiếu trước",
		EN: "Too many batches of this device are already waiting for earlier ones; import the missing batches first"}

	ErrNotEnrolled = &Error{
		VI: "Máy này chưa đăng ký với văn phòng phường; hãy làm thủ tục đăng ký trước",
		EN: "This laptop is not enrolled with the ward office; enroll it first"}
	ErrNotOffice = &Error{
		VI: "Chỉ bản dữ liệu của văn phòng phường mới làm được việc này",
		EN: "Only the ward office's copy can do this"}
	ErrNotField = &Error{
		VI: "Chỉ máy của rà soát viên mới làm được việc này",
		EN: "Only a surveyor's laptop can do this"}
	ErrCode = &Error{
		VI: "Mã xác nhận không khớp với yêu cầu đăng ký",
		EN: "The confirmation code does not match the enrollment request"}
	ErrEnrollment = &Error{
		VI: "Tệp đăng ký không hợp lệ",
		EN: "The enrollment file is not valid"}
	ErrCertificate = &Error{
		VI: "Chứng chỉ của máy chủ văn phòng không khớp với chứng chỉ đã đăng ký",
		EN: "The office server's certificate does not match the enrolled one"}
	ErrServer = &Error{
		VI: "Máy chủ văn phòng từ chối hoặc không trả lời đúng",
		EN: "The office server refused or answered wrongly"}
	ErrNetwork = &Error{
		VI: "Không kết nối được với máy chủ văn phòng",
		EN: "Cannot reach the office server"}
	ErrNoDevice = &Error{
		VI: "Không có thiết bị này trong danh sách thiết bị đã đăng ký (xem rasoatctl devices)",
		EN: "No such device is enrolled (see rasoatctl devices)"}
)

// kinds lists the kinds, so that a kind can be found again from its English message (the
// server sends it to the client).
var kinds = []*Error{ErrTampered, ErrNotForUs, ErrUnknownDevice, ErrRevoked, ErrBadSignature,
	ErrWrongWard, ErrVersion, ErrTooLarge, ErrNotBatch, ErrTooManyWaiting, ErrNotEnrolled, ErrNotOffice, ErrNotField,
	ErrCode, ErrEnrollment, ErrCertificate, ErrServer, ErrNetwork, ErrNoDevice, store.ErrInvalid}

// Refusals are the kinds of error that refuse a batch. store.ErrInvalid is the store's
// refusal of a revision the batch carries (a record that does not match its hash, does not
// decode or is not canonical: a sender's bug, signed as it is).
var Refusals = []*Error{ErrTampered, ErrNotForUs, ErrUnknownDevice, ErrRevoked, ErrBadSignature,
	ErrWrongWard, ErrVersion, ErrTooLarge, ErrNotBatch, ErrTooManyWaiting, store.ErrInvalid}

// IsRefusal reports whether err refuses a batch (as opposed to failing to store it).
func IsRefusal(err error) bool {
	for _, k := range Refusals {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// errorf returns an error of a kind with detail formatted from the same arguments in both
// languages.
func errorf(kind *Error, cause error, vi, en string, args ...any) error {
	return store.Errorf(kind, cause, vi, en, args...)
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
