// Partner portal: ask before an action that cannot be undone (forms with data-confirm).
// The pages work without this script; it only adds the question.
document.addEventListener("submit", (event) => {
	const form = event.target.closest("form[data-confirm]");
	if (form && !window.confirm(form.dataset.confirm)) {
		event.preventDefault();
	}
});
