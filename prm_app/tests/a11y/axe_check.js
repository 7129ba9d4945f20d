// Runs axe-core (WCAG 2 A and AA rules) on portal pages, at desktop and phone sizes, and reports
// each page's violations by impact and whether the page scrolls sideways on a phone.
// Usage: node axe_check.js <config.json>   (config: base, chromium, user, password, pages, guest_pages)
// Prints one JSON object on stdout.
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

async function audit(page, url) {
	const response = await page.goto(url, { waitUntil: "load" });
	await page.addScriptTag({ content: axeSource });
	const result = await page.evaluate(async () => {
		const found = await window.axe.run(document, {
			runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
		});
		return found.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			nodes: v.nodes.length,
			targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
		}));
	});
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	return { status: response ? response.status() : 0, url: page.url(), violations: result, overflow };
}

(async () => {
	const browser = await chromium.launch({
		executablePath: config.chromium,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--no-first-run",
			"--host-resolver-rules=MAP * 127.0.0.1",
		],
	});
	const report = {};
	for (const [size, viewport] of Object.entries(VIEWPORTS)) {
		const guest = await browser.newContext({ viewport });
		const guestPage = await guest.newPage();
		for (const url of config.guest_pages) {
			report[`${size} ${url}`] = await audit(guestPage, config.base + url);
		}
		await guest.close();
		const context = await browser.newContext({ viewport });
		const page = await context.newPage();
		await page.goto(config.base + "/login");
		const status = await page.evaluate(
			async ([usr, pwd]) =>
				(await fetch("/api/method/login", { method: "POST", body: new URLSearchParams({ usr, pwd }) }))
					.status,
			[config.user, config.password]
		);
		if (status !== 200) throw new Error(`login failed: ${status}`);
		for (const url of config.pages) {
			report[`${size} ${url}`] = await audit(page, config.base + url);
		}
		await context.close();
	}
	await browser.close();
	process.stdout.write(JSON.stringify(report));
})().catch((error) => {
	process.stderr.write(String(error && error.stack ? error.stack : error));
	process.exit(1);
});
