// Command verifier is Vigil's independent check: it verifies Vigil's signed checkpoints and proof
// JSON with Go's golang.org/x/mod/sumdb/note and sumdb/tlog only (no Vigil code). It reads one JSON
// request per line on stdin and writes one JSON result per line on stdout:
//
//	{"kind":"note","vkey":"<name>+<hex>+<base64>","note":"<signed checkpoint>"}
//	{"kind":"inclusion","proof":{"treeSize":…,"rootHash":…,"leafIndex":…,"leafHash":…,"leafData":…,"proof":[…]}}
//	{"kind":"consistency","proof":{"oldSize":…,"oldRoot":…,"treeSize":…,"rootHash":…,"proof":[…]}}
//
// Result: {"ok":true,"origin":…,"size":…,"root":…} or {"ok":false,"error":"…"}.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proofJSON struct {
	TreeSize  int64    `json:"treeSize"`
	RootHash  string   `json:"rootHash"`
	LeafIndex int64    `json:"leafIndex"`
	LeafHash  string   `json:"leafHash"`
	LeafData  string   `json:"leafData"`
	OldSize   int64    `json:"oldSize"`
	OldRoot   string   `json:"oldRoot"`
	Proof     []string `json:"proof"`
}

type request struct {
	Kind  string    `json:"kind"`
	Vkey  string    `json:"vkey"`
	Note  string    `json:"note"`
	Proof proofJSON `json:"proof"`
}

type result struct {
	Ok     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
	Origin string `json:"origin,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Root   string `json:"root,omitempty"`
}

func hash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("bad hash %q", s)
	}
	copy(h[:], b)
	return h, nil
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(list))
	for _, s := range list {
		h, err := hash(s)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// openCheckpoint verifies the note with note.Open and parses the c2sp.org/tlog-checkpoint body.
func openCheckpoint(vkey, msg string) (result, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return result{}, err
	}
	n, err := note.Open([]byte(msg), note.VerifierList(v))
	if err != nil {
		return result{}, err
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return result{}, errors.New("checkpoint body is not 3 lines")
	}
	if lines[0] != v.Name() {
		return result{}, errors.New("origin differs from key name")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return result{}, errors.New("bad size")
	}
	if _, err := hash(lines[2]); err != nil {
		return result{}, err
	}
	return result{Ok: true, Origin: lines[0], Size: size, Root: lines[2]}, nil
}

func checkInclusion(p proofJSON) error {
	root, err := hash(p.RootHash)
	if err != nil {
		return err
	}
	leaf, err := hash(p.LeafHash)
	if err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(p.LeafData)
	if err != nil {
		return err
	}
	if tlog.RecordHash(data) != leaf {
		return errors.New("leafHash is not the RFC 6962 leaf hash of leafData")
	}
	proof, err := hashes(p.Proof)
	if err != nil {
		return err
	}
	return tlog.CheckRecord(tlog.RecordProof(proof), p.TreeSize, root, p.LeafIndex, leaf)
}

func checkConsistency(p proofJSON) error {
	root, err := hash(p.RootHash)
	if err != nil {
		return err
	}
	oldRoot, err := hash(p.OldRoot)
	if err != nil {
		return err
	}
	proof, err := hashes(p.Proof)
	if err != nil {
		return err
	}
	return tlog.CheckTree(tlog.TreeProof(proof), p.TreeSize, root, p.OldSize, oldRoot)
}

func handle(line []byte) result {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return result{Error: err.Error()}
	}
	var err error
	switch req.Kind {
	case "note":
		var r result
		if r, err = openCheckpoint(req.Vkey, req.Note); err == nil {
			return r
		}
	case "inclusion":
		err = checkInclusion(req.Proof)
	case "consistency":
		err = checkConsistency(req.Proof)
	default:
		err = fmt.Errorf("unknown kind %q", req.Kind)
	}
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{Ok: true}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if err := out.Encode(handle(in.Bytes())); err != nil {
			os.Exit(2)
		}
	}
	if in.Err() != nil {
		os.Exit(2)
	}
}
