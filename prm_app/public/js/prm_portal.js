// Partner portal: ask before an action that ends a registration (a form, or the button that
// submits it, with data-confirm). The pages work without this script; it only adds the question.
document.addEventListener("submit", (event) => {
	const source = (event.submitter && event.submitter.closest("[data-confirm]")) || event.target.closest("form[data-confirm]");
	if (source && !window.confirm(source.dataset.confirm)) {
		event.preventDefault();
	}
});
