package main

// Encryption at rest from the command line. A passphrase is never an argument (it would show
// in the process list and the shell's history): --passphrase-file FILE reads the first line
// of FILE, "-" of the standard input. Commands: init --encrypt, encrypt, passwd.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
)

// kdf are the Argon2id costs of new wrapped keys; tests make them small.
var kdf *seal.Params

func init() {
	for _, c := range []*command{
		{"encrypt", "mã hóa cơ sở dữ liệu chưa mã hóa / encrypt an unencrypted database", runEncrypt},
		{"passwd", "đổi mật khẩu của cơ sở dữ liệu đã mã hóa / change the passphrase of an encrypted database", runPasswd},
	} {
		register(c)
	}
}

// readPassphrase reads the first line of a file ("-": standard input).
func readPassphrase(path string) (string, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", fileErr(path, false, err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fileErr(path, false, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("tệp mật khẩu %s trống / the passphrase file %s is empty", path, path)
	}
	return line, nil
}

// options are the store options of a command: the passphrase when --passphrase-file is given.
func (sf *storeFlags) options() (store.Options, error) {
	o := store.Options{KDF: kdf}
	if sf.passFile != "" {
		p, err := readPassphrase(sf.passFile)
		if err != nil {
			return o, err
		}
		o.Passphrase = p
	}
	return o, nil
}

// encryptedHint adds to ErrEncrypted how to give the passphrase.
func encryptedHint(err error) error {
	if errors.Is(err, store.ErrEncrypted) {
		return fmt.Errorf("%w; dùng --passphrase-file TỆP (- là đầu vào chuẩn) / use --passphrase-file FILE (- for standard input)", err)
	}
	return err
}

func runEncrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("encrypt", stderr,
		"Cách dùng / usage: rasoatctl encrypt [--db PATH] --passphrase-file TỆP",
		"Mã hóa cơ sở dữ liệu (chưa mã hóa) bằng mật khẩu ở dòng đầu của TỆP: ghi bản mã hóa bên cạnh rồi thay thế.",
		"Encrypts an unencrypted database with the passphrase on the first line of FILE: an encrypted copy replaces it.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 || sf.passFile == "" || sf.db == "" {
		return usageError(stderr, "encrypt", "cần --db và --passphrase-file", "--db and --passphrase-file are required")
	}
	o, err := sf.options()
	if err != nil {
		return storeFail(stderr, "encrypt", err)
	}
	if err := store.Encrypt(sf.db, o.Passphrase, o); err != nil {
		return storeFail(stderr, "encrypt", err)
	}
	fmt.Fprintf(stdout, "%s: đã mã hóa / encrypted\n", sf.db)
	return exitOK
}

func runPasswd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("passwd", stderr,
		"Cách dùng / usage: rasoatctl passwd [--db PATH] --passphrase-file TỆP --new-passphrase-file TỆP",
		"Đổi mật khẩu: khóa dữ liệu được bọc lại, dữ liệu không phải mã hóa lại.",
		"Changes the passphrase: the data key is wrapped again, the data is not re-encrypted.")
	newFile := fs.String("new-passphrase-file", "", "tệp chứa mật khẩu mới / file holding the new passphrase")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 || sf.passFile == "" || *newFile == "" {
		return usageError(stderr, "passwd", "cần --passphrase-file và --new-passphrase-file", "--passphrase-file and --new-passphrase-file are required")
	}
	np, err := readPassphrase(*newFile)
	if err != nil {
		return storeFail(stderr, "passwd", err)
	}
	s, code := sf.open("passwd", stderr)
	if code != exitOK {
		return code
	}
	defer s.Close()
	o, _ := sf.options()
	if err := s.ChangePassphrase(o.Passphrase, np); err != nil {
		return storeFail(stderr, "passwd", err)
	}
	fmt.Fprintf(stdout, "%s: đã đổi mật khẩu / passphrase changed\n", sf.db)
	return exitOK
}
