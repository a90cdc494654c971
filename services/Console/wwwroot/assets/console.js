// The few things the console's pages ask of the browser itself.
window.teamPlatform = {
  submit: form => form.requestSubmit ? form.requestSubmit() : form.submit(),
  copy: text => navigator.clipboard.writeText(text),
};
