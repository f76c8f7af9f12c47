// Page-wide keypad shortcuts must not steal keys a person is typing into a form field.
export function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
  );
}
