// Command vcsim serves govmomi's vCenter simulator (the VPX model, with the vAPI REST
// endpoints, among them the legacy session API at /rest/com/vmware/cis/session) over TLS on a
// loopback port, for naftiko-rs's peer tests.
//
// It writes a freshly generated self-signed certificate (PEM) to -cert, then prints one line,
// "VCSIM_URL=https://127.0.0.1:PORT", and serves until its standard input is closed (so it
// never outlives the test that started it) or it is killed.
//
// Build (Debian's golang-go and golang-github-vmware-govmomi-dev, offline):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim main.go
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/vmware/govmomi/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator" // registers the /rest and /api endpoints
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	certFile := flag.String("cert", "", "write the server's self-signed certificate (PEM) to this file")
	flag.Parse()
	log.SetPrefix("vcsim: ")

	cert, certPEM, err := selfSigned()
	if err != nil {
		log.Fatalf("certificate: %v", err)
	}
	if *certFile != "" {
		if err := os.WriteFile(*certFile, certPEM, 0o644); err != nil {
			log.Fatalf("certificate: %v", err)
		}
	}

	model := simulator.VPX()
	defer model.Remove()
	if err := model.Create(); err != nil {
		log.Fatalf("model: %v", err)
	}
	model.Service.Listen = &url.URL{Host: *listen}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	model.Service.RegisterEndpoints = true
	server := model.Service.NewServer()
	defer server.Close()

	fmt.Printf("VCSIM_URL=%s://%s\n", server.URL.Scheme, server.URL.Host)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// selfSigned makes a P-256 server certificate for 127.0.0.1, ::1 and localhost, signed by
// its own key: the only certificate a client needs to trust to talk to this simulator.
func selfSigned() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "vcsim (naftiko-rs peer tests)"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, certPEM, nil
}
