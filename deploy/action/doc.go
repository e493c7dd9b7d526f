// Package action checks graphconform's GitHub Action. GitHub requires the action's definition at the
// repository root (action.yml); actionlint (make lint-actions) checks the workflows that use it, and
// this package's tests check the definition itself and run its shell steps.
package action
