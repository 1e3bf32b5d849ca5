package sync

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	gosync "sync"

	"github.com/klauspost/compress/zstd"
)

// Compression of the payload, by format version: DEFLATE (RFC 1951) in version 1, Zstandard
// (RFC 8878) in version 2, which decompresses a 1,000-household payload about five times
// faster than DEFLATE and is a little smaller.

// zstdWindow is the window of the frames this program writes and the largest it reads. The
// decoder writes into the payload's own buffer, so the window costs a reader nothing more;
// it bounds what a stream decoder would keep.
const zstdWindow = 4 << 20

// zstdEncoder is shared: EncodeAll is safe for concurrent use.
var zstdEncoder = gosync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil,
		// ~10% smaller than the default level and as fast to decode; the laptop's cost is
		// ~15 ms per 1,000 households
		zstd.WithEncoderLevel(zstd.SpeedBetterCompression),
		zstd.WithWindowSize(zstdWindow),
		// the payload's SHA-256 and each record's already check what the checksum would
		zstd.WithEncoderCRC(false),
		// an encoder of this level keeps ~13 MB; two let the office make two batches at once
		zstd.WithEncoderConcurrency(2))
})

// compressPayload compresses the payload for a batch of format Version.
func compressPayload(raw []byte) ([]byte, error) {
	enc, err := zstdEncoder()
	if err != nil {
		return nil, err
	}
	return enc.EncodeAll(raw, nil), nil
}

// zstdDecoders holds a decoder per Limits.MaxPayload in use (the app uses one): a decoder's
// memory limit is fixed when it is made. DecodeAll is safe for concurrent use.
var zstdDecoders struct {
	gosync.Mutex
	m map[int64]*zstd.Decoder
}

// zstdDecoder returns the decoder that decodes at most maxPayload bytes.
func zstdDecoder(maxPayload int64) (*zstd.Decoder, error) {
	zstdDecoders.Lock()
	defer zstdDecoders.Unlock()
	if d := zstdDecoders.m[maxPayload]; d != nil {
		return d, nil
	}
	d, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(0), // as many at once as processors, for the office's server
		zstd.WithDecoderMaxMemory(uint64(max(maxPayload, 1))),
		zstd.WithDecoderMaxWindow(zstdWindow),
		// DecodeAll stops at the capacity of the buffer it is given (decompressPayload)
		zstd.WithDecodeAllCapLimit(true))
	if err != nil {
		return nil, err
	}
	if zstdDecoders.m == nil {
		zstdDecoders.m = map[int64]*zstd.Decoder{}
	}
	zstdDecoders.m[maxPayload] = d
	return d, nil
}

// maxZstdBlock is the most one Zstandard block decodes to (RFC 8878, Block_Maximum_Size).
const maxZstdBlock = 128 << 10

// zstdFrame checks that payload is exactly one Zstandard frame and returns the content size
// its header states, if it states one (the encoder leaves it out under 256 bytes).
func zstdFrame(payload []byte) (size uint64, stated, ok bool) {
	var h zstd.Header
	b, err := h.DecodeAndStrip(payload)
	if err != nil || h.Skippable {
		return 0, false, false
	}
	for last := false; !last; {
		if len(b) < 3 {
			return 0, false, false
		}
		bh := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		last = bh&1 == 1
		n := int(bh >> 3) // raw and compressed blocks: the bytes that follow
		switch bh >> 1 & 3 {
		case 1: // RLE: one byte, repeated n times
			n = 1
		case 3: // reserved
			return 0, false, false
		}
		if len(b)-3 < n {
			return 0, false, false
		}
		b = b[3+n:]
	}
	if h.HasCheckSum {
		if len(b) < 4 {
			return 0, false, false
		}
		b = b[4:]
	}
	return h.FrameContentSize, h.HasFCS, len(b) == 0
}

// decompressPayload decompresses the payload of a batch of format version v, which must come
// to exactly size bytes; the caller has checked size against lim.MaxPayload.
func decompressPayload(v int, payload []byte, size int64, lim Limits) ([]byte, error) {
	shorter := func(err error) error {
		return errorf(ErrTampered, err, "nội dung không giải nén được hoặc ngắn hơn đã ghi", "the payload cannot be decompressed or is shorter than stated")
	}
	longer := func(err error) error {
		return errorf(ErrTampered, err, "nội dung dài hơn đã ghi", "the payload is longer than stated")
	}
	switch v {
	case version1:
		raw := make([]byte, size)
		zr := flate.NewReader(bytes.NewReader(payload))
		if _, err := io.ReadFull(zr, raw); err != nil {
			return nil, shorter(err)
		}
		if n, err := zr.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			return nil, longer(err)
		}
		return raw, nil
	case version2:
		// The decoder checks the frame's stated size after each block, so with one block of
		// room it never grows the buffer: a hostile frame costs at most size+128 KiB. A second
		// frame, or a large one that does not state its size, could make it grow.
		fs, stated, ok := zstdFrame(payload)
		switch {
		case !ok || !stated && size >= 1<<10 || stated && fs < uint64(size):
			return nil, shorter(nil)
		case stated && fs > uint64(size):
			return nil, longer(nil)
		}
		dec, err := zstdDecoder(lim.MaxPayload)
		if err != nil {
			return nil, err
		}
		out, err := dec.DecodeAll(payload, make([]byte, 0, size+maxZstdBlock))
		switch {
		case errors.Is(err, zstd.ErrDecoderSizeExceeded) || len(out) > int(size):
			return nil, longer(err)
		case err != nil || len(out) < int(size):
			return nil, shorter(err)
		}
		return out[:size:size], nil
	}
	return nil, errorf(ErrVersion, nil, "phiên bản %d", "version %d", v) // parseInner lets none other through
}
