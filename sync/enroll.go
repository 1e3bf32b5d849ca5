package sync

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net"
	"slices"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// OfficeInfo is the office's sync identity, as shown at set-up and handed to laptops.
type OfficeInfo struct {
	WardID       string
	Ward         string
	Device       string
	SignKey      ed25519.PublicKey
	AgeRecipient string
	TLSSHA256    string // fingerprint of the HTTPS certificate that laptops pin
}

// SetupOffice makes the office's sync keys, the ward's sync id and the self-signed HTTPS
// certificate (for hosts, beside the loopback names), once: later calls return what was made.
func (n *Node) SetupOffice(hosts ...string) (OfficeInfo, error) {
	if !n.isOffice() {
		return OfficeInfo{}, ErrNotOffice
	}
	k, id, err := n.ensureKeys(func(k *store.SyncKeys) error {
		k.WardID = n.o.NewID()
		var err error
		k.TLSCert, k.TLSKey, err = selfSigned(n.o.Rand, n.now(), n.meta.Ward, hosts)
		return err
	})
	if err != nil {
		return OfficeInfo{}, err
	}
	fp, err := certFingerprint(k.TLSCert)
	if err != nil {
		return OfficeInfo{}, err
	}
	return OfficeInfo{
		WardID:       k.WardID,
		Ward:         n.meta.Ward,
		Device:       n.meta.DeviceID,
		SignKey:      ed25519.PrivateKey(k.SignKey).Public().(ed25519.PublicKey),
		AgeRecipient: id.(*age.HybridIdentity).Recipient().String(),
		TLSSHA256:    fp,
	}, nil
}

// EnrollRequest makes the laptop's keys (once) and returns its enrollment request file and
// the short code to read out to the office.
func (n *Node) EnrollRequest() (file []byte, shortCode string, err error) {
	if n.isOffice() {
		return nil, "", ErrNotField
	}
	k, id, err := n.ensureKeys(nil)
	if err != nil {
		return nil, "", err
	}
	m, err := n.st.Meta()
	if err != nil {
		return nil, "", err
	}
	r := Request{
		Format:       requestFormat,
		Device:       m.DeviceID,
		Name:         m.DeviceName,
		Surveyor:     m.Surveyor,
		Ward:         m.Ward,
		SignKey:      ed25519.PrivateKey(k.SignKey).Public().(ed25519.PublicKey),
		AgeRecipient: id.(*age.HybridIdentity).Recipient().String(),
		Created:      n.now(),
	}
	raw, sig, err := signJSON(r, k.SignKey, requestFormat+"\x00")
	if err != nil {
		return nil, "", err
	}
	file, err = json.MarshalIndent(signedFile{Request: raw, Signature: sig}, "", "  ")
	return append(file, '\n'), code(raw), err
}

// Approve enrolls the laptop of a request file, after checking the code the surveyor read
// out, and returns the enrollment package to hand back. address is host:port of the office's
// sync server on the LAN ("" when the ward syncs by USB only). Approving the same request
// again gives a package again; a revoked device stays revoked.
func (n *Node) Approve(requestFile []byte, typedCode, address string) ([]byte, store.SyncDevice, error) {
	info, err := n.SetupOffice()
	if err != nil {
		return nil, store.SyncDevice{}, err
	}
	r, c, err := ParseRequest(requestFile)
	if err != nil {
		return nil, store.SyncDevice{}, err
	}
	if normalizeCode(typedCode) != c {
		return nil, store.SyncDevice{}, errorf(ErrCode, nil, "mã của yêu cầu là của thiết bị %s", "the request is of device %s", r.Device)
	}
	if address != "" {
		if _, _, err := net.SplitHostPort(address); err != nil {
			return nil, store.SyncDevice{}, errorf(ErrEnrollment, err, "địa chỉ %q (cần HOST:CỔNG)", "address %q (HOST:PORT expected)", address)
		}
	}
	if r.Device == n.meta.DeviceID {
		return nil, store.SyncDevice{}, errorf(ErrEnrollment, nil, "đây là mã của chính văn phòng", "this is the office's own device id")
	}
	d, ok, err := n.st.SyncDevice(r.Device)
	if err != nil {
		return nil, d, err
	}
	if ok && !d.Revoked.IsZero() {
		return nil, d, errorf(ErrRevoked, nil, "%s", "%s", r.Device)
	}
	if !ok || !bytes.Equal(d.SignKey, r.SignKey) || d.AgeRecipient != r.AgeRecipient {
		d = store.SyncDevice{ID: r.Device, Name: r.Name, Surveyor: r.Surveyor, SignKey: r.SignKey,
			AgeRecipient: r.AgeRecipient, Code: c, Enrolled: n.now()}
		if err := n.st.PutSyncDevice(d); err != nil {
			return nil, d, err
		}
	}
	k, _, _, err := n.loadKeys()
	if err != nil {
		return nil, d, err
	}
	table, err := n.downScoreTable("")
	if err != nil {
		return nil, d, err
	}
	p := Package{
		Format:             packageFormat,
		WardID:             info.WardID,
		Ward:               n.meta.Ward,
		Area:               n.meta.Area,
		Office:             n.meta.DeviceID,
		OfficeSignKey:      info.SignKey,
		OfficeAgeRecipient: info.AgeRecipient,
		Address:            address,
		TLSSHA256:          info.TLSSHA256,
		Device:             r.Device,
		Code:               c,
		Issued:             n.now(),
	}
	if table != nil {
		p.ScoreTable = table.File
	}
	raw, sig, err := signJSON(p, k.SignKey, packageFormat+"\x00")
	if err != nil {
		return nil, d, err
	}
	file, err := json.MarshalIndent(signedFile{Package: raw, Signature: sig}, "", "  ")
	return append(file, '\n'), d, err
}

// InstallPackage installs the office's enrollment package on the laptop that asked for it,
// and sets the laptop's ward (and area) to the office's, and its score table to the one the
// package carries, if any (unless a newer down-batch of the office said otherwise already). A
// package whose table this program cannot use is refused, and nothing is installed.
// Installing it again changes nothing.
func (n *Node) InstallPackage(file []byte) (Package, error) {
	if n.isOffice() {
		return Package{}, ErrNotField
	}
	p, err := ParsePackage(file)
	if err != nil {
		return p, err
	}
	_, _, ok, err := n.loadKeys()
	if err != nil {
		return p, err
	}
	if !ok || p.Device != n.meta.DeviceID {
		return p, errorf(ErrEnrollment, nil, "gói dành cho thiết bị %s, máy này là %s", "the package is for device %s, this is %s", p.Device, n.meta.DeviceID)
	}
	if old, err := n.enrollment(); err == nil && old.WardID != p.WardID {
		return p, errorf(ErrWrongWard, nil, "máy đã đăng ký với phường %s", "the laptop is enrolled with ward %s", old.Ward)
	}
	if p.ScoreTable != nil {
		if _, err := n.st.CheckScoreTable(p.ScoreTable); err != nil {
			return p, errorf(ErrEnrollment, err,
				"bảng điểm thu nhập trong gói không dùng được trên máy này (%[1]s); hãy cập nhật chương trình hoặc báo văn phòng phường",
				"the income score table in the package cannot be used on this laptop (%[2]s); update the program or tell the ward office",
				store.Message(err, "vi"), store.Message(err, "en"))
		}
	}
	if err := n.st.SetEnrollment(file); err != nil {
		return p, err
	}
	n.mu.Lock()
	n.pkg = &p
	n.mu.Unlock()
	// n.meta keeps what it had: only its device id and role are used on a laptop, and they
	// never change.
	err = n.st.UpdateMeta(func(m *store.Meta) {
		m.Ward = p.Ward
		if p.Area != "" {
			m.Area = p.Area
		}
	})
	if err != nil || p.ScoreTable == nil {
		return p, err
	}
	// the table, as a down-batch stamped at the package's issue would bring it
	err = n.st.SyncUpdate(func(x *store.SyncTx) error {
		stamp := p.Issued.UnixNano()
		if stamp <= x.SyncStamp("score_table") {
			return nil
		}
		if _, err := x.SetScoreTable(p.ScoreTable, p.Office); err != nil {
			return err
		}
		_, err := x.AdvanceSyncStamp("score_table", stamp)
		return err
	})
	return p, err
}

// Enrollment returns the laptop's enrollment package; ok is false before InstallPackage.
func (n *Node) Enrollment() (Package, bool, error) {
	p, err := n.enrollment()
	if err == ErrNotEnrolled {
		return p, false, nil
	}
	return p, err == nil, err
}

// Revoke revokes an enrolled device: its batches are refused from now on, and so are its
// batches still waiting.
func (n *Node) Revoke(id string) (store.SyncDevice, error) {
	if !n.isOffice() {
		return store.SyncDevice{}, ErrNotOffice
	}
	d, err := n.st.RevokeSyncDevice(id, n.now())
	if errors.Is(err, store.ErrNotFound) {
		return d, errorf(ErrNoDevice, nil, "%s", "%s", id)
	}
	return d, err
}

// DeviceStatus is an enrolled device as the office sees it.
type DeviceStatus struct {
	store.SyncDevice
	Have     uint64    // the office has the device's revisions 1…Have
	LastSeen time.Time // its last batch applied here; zero if none
}

// Devices lists the enrolled devices, revoked ones too, by name then id.
func (n *Node) Devices() ([]DeviceStatus, error) {
	if !n.isOffice() {
		return nil, ErrNotOffice
	}
	ds, err := n.st.SyncDevices()
	if err != nil {
		return nil, err
	}
	have, err := n.st.Devices()
	if err != nil {
		return nil, err
	}
	out := make([]DeviceStatus, 0, len(ds))
	for _, d := range ds {
		seen, err := n.st.SyncTime("seen/" + d.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, DeviceStatus{SyncDevice: d, Have: have[d.ID], LastSeen: seen})
	}
	slices.SortFunc(out, func(a, b DeviceStatus) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out, nil
}
