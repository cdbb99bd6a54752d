/**
 * The evidence bundle README's own verifier (issue 14): a short Go program that needs nothing of
 * Vigil, only Go's golang.org/x/mod/sumdb/note and sumdb/tlog, plus sha256sum steps. The conformance
 * suite (conformance/bundle-go-verifier.test.ts) takes the program out of an exported bundle's
 * README, builds it with Go and runs it on that bundle and on tampered copies.
 */
export const GO_VERIFIER_SOURCE = `// Command vigil-bundle-check verifies a Vigil evidence bundle with Go's golang.org/x/mod/sumdb
// packages only: the checkpoint's signature, every inclusion proof, every event's bytes.
// Usage: go run . <bundle folder> '<ledger verifier key>'
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proof struct {
	TreeSize  int64    \`json:"treeSize"\`
	RootHash  string   \`json:"rootHash"\`
	LeafIndex int64    \`json:"leafIndex"\`
	LeafData  string   \`json:"leafData"\`
	Proof     []string \`json:"proof"\`
}

func hash(s string) (h tlog.Hash) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(h) {
		fail("bad hash %q", s)
	}
	copy(h[:], b)
	return h
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\\n", args...)
	os.Exit(1)
}

func lines(dir, name string) [][]byte {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || len(data) == 0 || data[len(data)-1] != '\\n' {
		fail("%s: unreadable, empty or not newline-terminated (%v)", name, err)
	}
	return bytes.Split(data[:len(data)-1], []byte("\\n"))
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: go run . <bundle folder> '<ledger verifier key>'")
	}
	dir := os.Args[1]
	verifier, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail("verifier key: %v", err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint.txt"))
	if err != nil {
		fail("%v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint.txt: %v", err)
	}
	body := strings.Split(n.Text, "\\n") // <origin>, <size>, <base64 root>, ""
	size, err := strconv.ParseInt(body[1], 10, 64)
	if len(body) != 4 || body[0] != verifier.Name() || err != nil {
		fail("checkpoint.txt: not a checkpoint of %s", verifier.Name())
	}
	root := hash(body[2])
	rawSha256 := map[string]string{} // event uuid -> hex SHA-256 of its line in events.jsonl
	for _, line := range lines(dir, "events.jsonl") {
		var event struct{ UUID string }
		if json.Unmarshal(line, &event) != nil || rawSha256[event.UUID] != "" {
			fail("events.jsonl: unreadable or repeated event %q", event.UUID)
		}
		sum := sha256.Sum256(line)
		rawSha256[event.UUID] = hex.EncodeToString(sum[:])
	}
	for i, line := range lines(dir, "proofs.jsonl") {
		var p proof
		if json.Unmarshal(line, &p) != nil || p.TreeSize != size || hash(p.RootHash) != root {
			fail("proofs.jsonl line %d: not a proof against checkpoint.txt", i+1)
		}
		leaf, err := base64.StdEncoding.DecodeString(p.LeafData)
		if err != nil {
			fail("proofs.jsonl line %d: leafData: %v", i+1, err)
		}
		var path tlog.RecordProof
		for _, h := range p.Proof {
			path = append(path, hash(h))
		}
		if err := tlog.CheckRecord(path, size, root, p.LeafIndex, tlog.RecordHash(leaf)); err != nil {
			fail("proofs.jsonl line %d: leaf %d: %v", i+1, p.LeafIndex, err)
		}
		var envelope struct{ EventID, RawSha256 string }
		if json.Unmarshal(leaf, &envelope) != nil || envelope.RawSha256 == "" {
			fail("proofs.jsonl line %d: leaf %d is not a v2 event envelope", i+1, p.LeafIndex)
		}
		if rawSha256[envelope.EventID] != envelope.RawSha256 {
			fail("event %s: events.jsonl does not hold the bytes the ledger recorded", envelope.EventID)
		}
		delete(rawSha256, envelope.EventID)
	}
	for id := range rawSha256 {
		fail("event %s has no proof", id)
	}
	fmt.Printf("OK: %s, tree size %d: every event in events.jsonl is in the signed log, byte for byte\\n", verifier.Name(), size)
}
`;

export const GO_VERIFIER_README = `
## Check it with Go and sha256sum alone

Take the ledger's verifier key from where you recorded it (\`vigil ledger key\` on the collector),
not from verifier-key.txt. With the sums recorded when the bundle was handed over, any change shows:

    sha256sum checkpoint.txt verifier-key.txt events.jsonl proofs.jsonl

Each event's line is what the ledger recorded: line K of proofs.jsonl is the proof of line K of
events.jsonl, and the SHA-256 of that event line without its newline is the rawSha256 in the
proof's leaf envelope (its base64 leafData):

    sed -n Kp events.jsonl | tr -d '\\n' | sha256sum
    sed -n Kp proofs.jsonl | sed 's/.*"leafData":"\\([^"]*\\)".*/\\1/' | base64 -d

The program below checks all of it at once: the checkpoint's signature (note.Open), every
inclusion proof against it (tlog.CheckRecord), and every event's bytes against its leaf. Save it as
main.go in an empty folder, then:

    go mod init bundle-check && go get golang.org/x/mod
    go run . <this folder> '<the ledger verifier key>'

(Debian's packages work offline too: \`apt-get install golang-go golang-golang-x-mod-dev\`, then
\`GO111MODULE=off GOPATH=/usr/share/gocode go run main.go <this folder> '<key>'\`.) It prints OK and
exits 0, or names the first thing that does not hold and exits 1.

\`\`\`go
${GO_VERIFIER_SOURCE}\`\`\`
`;
