"""The demo programme's fixed cast: tiers, regions, partner names, products and end customers.

Plain data; ``prm_app.demo`` turns it into records. Names end in nothing that marks them as demo
data (a newcomer should see a believable programme); what the demo made is listed in
``PRM Demo Record`` instead, and only that is removed.
"""

# name, rank, benefits and criteria (amounts in the company's currency)
TIERS = (
	{
		"tier_name": "Registered",
		"description": "Every partner starts here: portal access, deal registration, standard discount.",
		"discount_percent": 5,
		"commission_rate": 5,
		"deal_protection_days": 60,
	},
	{
		"tier_name": "Silver",
		"description": "Proven sellers: better margins and longer deal protection.",
		"discount_percent": 10,
		"commission_rate": 8,
		"rebate_percent": 1,
		"deal_protection_days": 90,
		"mdf_allocation_type": "Percent of Trailing Revenue",
		"mdf_allocation_percent": 1,
		"mdf_period": "Year",
		"min_trailing_revenue": 50_000,
		"min_won_deals": 2,
		"demotion_grace_days": 90,
	},
	{
		"tier_name": "Gold",
		"description": "Strategic partners: co-marketing funds, certified staff, priority support.",
		"discount_percent": 15,
		"commission_rate": 10,
		"rebate_percent": 2,
		"deal_protection_days": 120,
		"mdf_allocation_type": "Percent of Trailing Revenue",
		"mdf_allocation_percent": 2,
		"mdf_period": "Half-year",
		"min_trailing_revenue": 250_000,
		"min_won_deals": 6,
		"min_certified_people": 2,
		"demotion_grace_days": 90,
	},
	{
		"tier_name": "Platinum",
		"description": "The few that carry the channel: best margins, dedicated partner manager, joint plans.",
		"discount_percent": 20,
		"commission_rate": 12,
		"rebate_percent": 3,
		"deal_protection_days": 180,
		"mdf_allocation_type": "Percent of Trailing Revenue",
		"mdf_allocation_percent": 3,
		"mdf_period": "Quarter",
		"min_trailing_revenue": 1_000_000,
		"min_won_deals": 15,
		"min_certified_people": 5,
		"demotion_grace_days": 120,
	},
)
# how many of the partners (by revenue rank) sit in each tier, best first
TIER_SHARES = (("Platinum", 0.06), ("Gold", 0.14), ("Silver", 0.3), ("Registered", 1.0))

REGIONS = ("North America", "Europe", "Asia Pacific", "Latin America")
PARTNER_TYPES = ("Reseller", "Distributor", "Implementation Partner", "Agent", "Channel Partner")

PREFIXES = (
	"Northwind",
	"Bluepeak",
	"Cobalt",
	"Harbor",
	"Summit",
	"Ironbridge",
	"Redwood",
	"Lumen",
	"Granite",
	"Silverline",
	"Keystone",
	"Meridian",
	"Brightpath",
	"Oakridge",
	"Vantage",
	"Polar",
	"Crescent",
	"Evergreen",
	"Pinnacle",
	"Riverside",
	"Stonegate",
	"Beacon",
	"Highland",
	"Tidewater",
	"Quantum",
)
SUFFIXES = (
	"Systems",
	"Solutions",
	"Networks",
	"Consulting",
	"Technologies",
	"Partners",
	"Digital",
	"IT Services",
)

MANAGERS = (("Alex", "Morgan"), ("Priya", "Raman"), ("Jonas", "Berg"))

# code, name, is a stock item, standard rate, valuation (cost) rate
ITEMS = (
	("PRM-CLOUD-SUITE", "Cloud Suite Licence (Annual)", 0, 12_000, 0),
	("PRM-SUPPORT-PREMIUM", "Premium Support Plan (Annual)", 0, 4_800, 0),
	("PRM-IMPL-DAY", "Implementation Services (Day)", 0, 1_400, 0),
	("PRM-TRAINING", "Administrator Training Workshop", 0, 2_500, 0),
	("PRM-EDGE-GATEWAY", "Edge Gateway Appliance", 1, 6_500, 4_200),
	("PRM-SWITCH-24", "Secure Switch 24-Port", 1, 2_200, 1_500),
	("PRM-ACCESS-POINT", "Wireless Access Point", 1, 650, 410),
)

CUSTOMER_WORDS = (
	("Acme", "Manufacturing"),
	("Globex", "Logistics"),
	("Initech", "Software"),
	("Umbrella", "Health"),
	("Stark", "Engineering"),
	("Wayne", "Enterprises"),
	("Hooli", "Media"),
	("Soylent", "Foods"),
	("Tyrell", "Robotics"),
	("Cyberdyne", "Labs"),
	("Wonka", "Confectionery"),
	("Vandelay", "Imports"),
	("Gringotts", "Bank"),
	("Oceanic", "Airlines"),
	("Monarch", "Insurance"),
	("Pied Piper", "Storage"),
	("Dunder", "Paper"),
	("Massive", "Dynamics"),
	("Aperture", "Science"),
	("Blue Sun", "Retail"),
	("Nakatomi", "Trading"),
	("Virtucon", "Holdings"),
	("Prestige", "Worldwide"),
	("Sterling", "Cooper"),
	("Bluth", "Properties"),
	("Krusty", "Restaurants"),
	("Duff", "Brewing"),
	("Gekko", "Capital"),
	("Wernham", "Hogg"),
	("Oscorp", "Chemicals"),
)
CUSTOMER_SUFFIXES = ("Inc", "Ltd", "GmbH", "S.A.", "Group", "Corp")
