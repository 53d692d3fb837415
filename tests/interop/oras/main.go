// Command oras-peer is the ORAS side of the interop tests: oras-go 1.1.1 (the library behind oras CLI 0.12-0.15, as
// Debian ships it) pulling an artifact into a file store and pushing files as an artifact, against a plain-HTTP
// registry. It prints the manifest digest it pulled or pushed on stdout.
//
//	oras-peer pull REGISTRY/REPOSITORY:TAG DIR
//	oras-peer push REGISTRY/REPOSITORY:TAG FILE...   (each file one layer, titled by its base name)
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/pkg/content"
	"oras.land/oras-go/pkg/oras"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "oras-peer:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 || (args[0] != "pull" && args[0] != "push") {
		return fmt.Errorf("usage: oras-peer pull REF DIR | oras-peer push REF FILE")
	}
	ctx := context.Background()
	registry, err := content.NewRegistry(content.RegistryOptions{PlainHTTP: true})
	if err != nil {
		return err
	}
	ref := args[1]
	if args[0] == "pull" {
		store := content.NewFile(args[2])
		defer store.Close()
		desc, err := oras.Copy(ctx, registry, ref, store, "")
		if err != nil {
			return err
		}
		fmt.Println(desc.Digest)
		return nil
	}

	store := content.NewFile("")
	defer store.Close()
	var layers []ocispec.Descriptor
	for _, file := range args[2:] {
		layer, err := store.Add(filepath.Base(file), "", file)
		if err != nil {
			return err
		}
		layers = append(layers, layer)
	}
	manifest, manifestDesc, config, configDesc, err := content.GenerateManifestAndConfig(nil, nil, layers...)
	if err != nil {
		return err
	}
	if err := store.Load(configDesc, config); err != nil {
		return err
	}
	if err := store.StoreManifest(ref, manifestDesc, manifest); err != nil {
		return err
	}
	desc, err := oras.Copy(ctx, store, ref, registry, "")
	if err != nil {
		return err
	}
	fmt.Println(desc.Digest)
	return nil
}
