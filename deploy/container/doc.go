// Package container holds graphconform's container image definition (Dockerfile). There is no
// docker in CI: the package's tests check the Dockerfile and build the very binary it would hold
// (make image-binary), which must be static.
package container
