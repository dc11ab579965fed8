"use client";
import Editor, { loader, type OnMount } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor/editor.api";
// Only the editor parts a one-line condition needs: completion and hover (for the error markers).
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import "monaco-editor/editor/contrib/hover/browser/hoverContribution";
import "monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching";
import { useEffect, useRef } from "react";
import { compileCondition } from "@/formula/form-rules";
import type { ObjectDef } from "@/spec/object";

/**
 * The power users' condition editor: Monaco, bundled (never from a CDN: `loader.config` hands
 * @monaco-editor/react the imported editor), with field-name completion and live error markers
 * from the same compiler the runtime uses. Loaded with next/dynamic by the studio only. The
 * language is plain text with a completion provider, so no language worker is needed.
 */
loader.config({ monaco });

const LANGUAGE = "objectstudio-condition";
const FUNCTIONS = ["ISBLANK", "NOT", "AND", "OR", "CONTAINS", "LEN", "TODAY", "DATE", "IF", "TRUE", "FALSE", "NULL"];

let languageReady = false;
/** Fields offered by the completion provider of each editor model (uri -> object). */
const objectsByModel = new Map<string, ObjectDef>();

function ensureLanguage() {
  if (languageReady) return;
  languageReady = true;
  monaco.languages.register({ id: LANGUAGE });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, {
    ignoreCase: true,
    tokenizer: {
      root: [
        [/"([^"\\]|\\.)*"/, "string"],
        [/'([^'\\]|\\.)*'/, "string"],
        [/\d+(\.\d+)?/, "number"],
        [/\b(AND|OR|NOT|TRUE|FALSE|NULL)\b/, "keyword"],
        [/[A-Za-z_][\w]*(?=\s*\()/, "type"],
        [/[A-Za-z_][\w]*/, "identifier"],
        [/[=!<>&|]+/, "operator"],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    provideCompletionItems(model, position) {
      const object = objectsByModel.get(model.uri.toString());
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const fields = (object?.fields ?? []).map((field) => ({
        label: field.name,
        kind: monaco.languages.CompletionItemKind.Field,
        detail: `${field.label} (${field.type})`,
        documentation: field.type === "select" ? `Values: ${field.options.map((option) => `"${option.value}"`).join(", ")}` : undefined,
        insertText: field.name,
        range,
      }));
      const functions = FUNCTIONS.map((name) => ({
        label: name,
        kind: monaco.languages.CompletionItemKind.Function,
        insertText: name,
        range,
      }));
      return { suggestions: [...fields, ...functions] };
    },
  });
}

export type ConditionCodeEditorProps = {
  id: string;
  value: string;
  object: ObjectDef;
  onChange: (value: string) => void;
  ariaLabel: string;
};

export default function ConditionCodeEditor({ id, value, object, onChange, ariaLabel }: ConditionCodeEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const modelUri = `inmemory://condition/${id}`;

  useEffect(() => {
    objectsByModel.set(modelUri, object);
    return () => {
      objectsByModel.delete(modelUri);
    };
  }, [modelUri, object]);

  // Markers from the compiler on every change (and when the object changes).
  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(modelUri));
    if (!model) return;
    if (value.trim() === "") {
      monaco.editor.setModelMarkers(model, "condition", []);
      return;
    }
    const check = compileCondition(value, object);
    monaco.editor.setModelMarkers(
      model,
      "condition",
      check.ok
        ? []
        : [{
            severity: monaco.MarkerSeverity.Error,
            message: check.message,
            startLineNumber: check.line,
            startColumn: check.column,
            endLineNumber: check.line,
            endColumn: Math.max(check.column + 1, model.getLineMaxColumn(check.line)),
          }],
    );
  }, [modelUri, object, value]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    // Tab leaves the editor (keyboard users), Enter does not add lines to a one-line condition.
    editor.addCommand(monaco.KeyCode.Enter, () => editor.trigger("keyboard", "acceptSelectedSuggestion", {}), "!suggestWidgetVisible");
  };

  return (
    <div className="overflow-hidden rounded-md border border-slate-300 focus-within:ring-2 focus-within:ring-brand-500" data-testid="condition-code-editor">
      <Editor
        height="72px"
        language={LANGUAGE}
        path={modelUri}
        value={value}
        beforeMount={ensureLanguage}
        onMount={onMount}
        onChange={(next) => onChange(next ?? "")}
        loading={<div className="p-2 text-xs text-slate-500">Loading editor…</div>}
        options={{
          ariaLabel,
          minimap: { enabled: false },
          lineNumbers: "off",
          glyphMargin: false,
          folding: false,
          lineDecorationsWidth: 4,
          scrollBeyondLastLine: false,
          wordWrap: "on",
          fontSize: 13,
          renderLineHighlight: "none",
          overviewRulerLanes: 0,
          wordBasedSuggestions: "off",
          occurrencesHighlight: "off",
          tabFocusMode: true,
          fixedOverflowWidgets: true,
          automaticLayout: true,
          scrollbar: { vertical: "hidden", horizontal: "hidden" },
        }}
      />
    </div>
  );
}
