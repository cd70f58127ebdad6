;;; claude-preflight.el --- claude-preflight's language server in Eglot  -*- lexical-binding: t; -*-

;; Load it and call `claude-preflight-eglot-setup':
;;
;;   (load "/path/to/claude-preflight/editors/emacs/claude-preflight.el")
;;   (claude-preflight-eglot-setup)
;;
;; Then `M-x eglot' (or `eglot-ensure' in a mode hook) in a JSON, YAML, Python, JavaScript,
;; TypeScript, shell or Markdown buffer starts `claude-preflight lsp': findings as Flymake
;; diagnostics, quick fixes on `M-x eglot-code-actions', hovers in ElDoc.
;;
;; Eglot runs one server per buffer: in the modes this registers, claude-preflight takes the
;; place of that language's usual server (pylsp, typescript-language-server, ...).  See
;; editors/emacs/README.md for keeping your usual server in some modes.
;;
;; Works with Eglot 1.9 and later (Emacs 29 and later ship it; Debian 12's Emacs 28 has it
;; as the `elpa-eglot' package).

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defgroup claude-preflight nil
  "Claude Messages API request checks through Eglot."
  :group 'eglot
  :prefix "claude-preflight-")

(defcustom claude-preflight-command '("claude-preflight" "lsp")
  "The command that starts the language server, as a list of strings."
  :type '(repeat string))

(defcustom claude-preflight-settings nil
  "Settings sent to the server as `initializationOptions', as a plist.
The keys mean what the command line's flags mean, on top of the
nearest claude-preflight.toml, for example
  (:model \"claude-opus-5\" :apiVersion \"2023-06-01\"
   :ignore [\"unknown-parameter\"])"
  :type 'plist)

(defcustom claude-preflight-eglot-modes
  '(;; Request files.  The JSON modes come before `js-mode', which they derive from.
    (js-json-mode :language-id "json") (json-ts-mode :language-id "json")
    (json-mode :language-id "json") (jsonc-mode :language-id "jsonc")
    (yaml-mode :language-id "yaml") (yaml-ts-mode :language-id "yaml")
    ;; Code that sends requests: SDK calls and curl commands.
    (python-mode :language-id "python") (python-ts-mode :language-id "python")
    (js-mode :language-id "javascript") (js-ts-mode :language-id "javascript")
    (typescript-mode :language-id "typescript")
    (typescript-ts-mode :language-id "typescript")
    (tsx-ts-mode :language-id "typescriptreact")
    (sh-mode :language-id "shellscript") (bash-ts-mode :language-id "shellscript")
    (markdown-mode :language-id "markdown") (gfm-mode :language-id "markdown")
    (markdown-ts-mode :language-id "markdown"))
  "The major modes claude-preflight serves, with the language id it is sent.
Modes this Emacs does not have are harmless.  Remove a language's modes
to keep its usual Eglot server there; `claude-preflight-eglot-setup'
reads this list."
  :type '(repeat (list symbol (const :language-id) string)))

(defun claude-preflight--initialization-options (_server)
  "`claude-preflight-settings' as a JSON object, read when a server starts."
  (or claude-preflight-settings (make-hash-table)))

(defun claude-preflight--contact (&optional _interactive)
  "The server's command line, read when a server starts."
  (append claude-preflight-command
          (list :initializationOptions #'claude-preflight--initialization-options)))

;;;###autoload
(defun claude-preflight-eglot-setup ()
  "Make Eglot start claude-preflight in `claude-preflight-eglot-modes'.
One entry goes to the front of `eglot-server-programs', so one server
per project serves all these modes; calling this again replaces it."
  (interactive)
  (setq eglot-server-programs
        (cons (cons claude-preflight-eglot-modes #'claude-preflight--contact)
              (cl-remove #'claude-preflight--contact eglot-server-programs
                         :key #'cdr))))

(provide 'claude-preflight)
;;; claude-preflight.el ends here
