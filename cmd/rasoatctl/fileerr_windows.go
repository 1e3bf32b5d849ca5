package main

import "syscall"

func init() {
	// ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL
	diskFull = append(diskFull, syscall.Errno(112), syscall.Errno(39))
}
