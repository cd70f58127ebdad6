;;; emacs_check.el --- Eglot with the shipped editors/emacs/claude-preflight.el  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l editors/emacs/claude-preflight.el -l tests/editors/emacs_check.el FILE
;; with `claude-preflight' on PATH.  Opens FILE the way a user's Emacs would (its major mode
;; from `auto-mode-alist', Eglot started by `eglot-ensure' from the mode hook), waits for the
;; server's diagnostics in Flymake, picks the quick fix on `stop' from `eglot-code-actions'
;; and prints one JSON object per line (the mode, the diagnostics, the actions offered, the
;; buffer's text after the fix, the diagnostics after that) for the Rust test to compare.
;; Exits non-zero when a step times out.

;;; Code:

(require 'json)
(require 'cl-lib)

(defun emacs-check--emit (event value)
  "Print EVENT with VALUE as one JSON line on standard output."
  (princ (concat (json-encode `((event . ,event) (value . ,value))) "\n")))

(defun emacs-check--fail (why)
  "Report WHY and exit non-zero."
  (emacs-check--emit "failure" why)
  (kill-emacs 1))

(defun emacs-check--wait (seconds predicate)
  "Process server output until PREDICATE holds, for up to SECONDS.
A batch Emacs is never idle, so the idle timers that send changes to the server
\(Eglot) and start checks (Flymake) are run here, as an idle Emacs would."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (dolist (timer (copy-sequence timer-idle-list))
        (timer-event-handler timer)))
    (funcall predicate)))

(defun emacs-check--position (pos)
  "POS as 0-based line and column, the column in characters (not display columns)."
  (save-excursion
    (goto-char pos)
    `((line . ,(1- (line-number-at-pos))) (column . ,(- pos (line-beginning-position))))))

(defun emacs-check--diagnostics ()
  "The Flymake diagnostics in the buffer, in buffer order: what the user sees."
  (let ((diags (sort (flymake-diagnostics)
                     (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
    (vconcat
     (mapcar (lambda (d)
               `((start . ,(emacs-check--position (flymake-diagnostic-beg d)))
                 (end . ,(emacs-check--position (flymake-diagnostic-end d)))
                 (type . ,(symbol-name (flymake-diagnostic-type d)))
                 (text . ,(flymake-diagnostic-text d))))
             diags))))

;; The date is pinned so that date-dependent rules cannot change the answer.
(setq claude-preflight-settings '(:today "2026-11-25"))
(claude-preflight-eglot-setup)
(dolist (hook '(js-mode-hook python-mode-hook))
  (add-hook hook #'eglot-ensure))
(setq eglot-sync-connect 10)

(find-file (car command-line-args-left))
(setq command-line-args-left nil)
(emacs-check--emit "mode" (symbol-name major-mode))
;; `eglot-ensure' connects from `post-command-hook', once the command that opened the file
;; ends; Flymake starts its first check the same way.
(run-hooks 'post-command-hook)
(unless (emacs-check--wait 10 (lambda () (bound-and-true-p eglot--managed-mode)))
  (emacs-check--fail "Eglot did not start within 10 s"))
(run-hooks 'post-command-hook)
(unless (emacs-check--wait 10 (lambda () (flymake-diagnostics)))
  (emacs-check--fail "no diagnostics within 10 s"))
(emacs-check--emit "diagnostics" (emacs-check--diagnostics))

;; The quick fix on `stop', through the user's path: `M-x eglot-code-actions' with point where
;; the finding starts, choosing the action by its title.
(let ((stop (cl-find-if (lambda (d) (string-match-p "\\[O101\\]: `stop`" (flymake-diagnostic-text d)))
                        (flymake-diagnostics)))
      (before (buffer-modified-tick)))
  (unless stop (emacs-check--fail "no finding on `stop`"))
  (goto-char (flymake-diagnostic-beg stop))
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (emacs-check--emit "actions" (vconcat (mapcar #'car collection)))
               "Rename `stop` to `stop_sequences`"))
            ;; A keyboard event, so Eglot asks in the minibuffer, not a mouse menu.
            (last-nonmenu-event ?a))
    (call-interactively #'eglot-code-actions))
  (unless (emacs-check--wait 10 (lambda () (/= (buffer-modified-tick) before)))
    (emacs-check--fail "the code action was not applied within 10 s")))
(emacs-check--emit "text" (buffer-substring-no-properties (point-min) (point-max)))
(unless (emacs-check--wait 10 (lambda () (= (length (flymake-diagnostics)) 1)))
  (emacs-check--fail "the diagnostics were not updated within 10 s"))
(emacs-check--emit "diagnostics" (emacs-check--diagnostics))

(eglot-shutdown (eglot-current-server))
(kill-emacs 0)

;;; emacs_check.el ends here
