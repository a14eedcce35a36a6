//! The vocabulary of the demo catalog: a two-level category tree with the
//! brands, product nouns, price ranges and attributes that fit each branch.

/// A top-level category and everything generated under it.
pub struct Department {
    pub name: &'static str,
    pub description: &'static str,
    pub brands: [&'static str; 5],
    /// Attribute name and its possible values, shared by the department.
    pub attributes: &'static [(&'static str, &'static [&'static str])],
    /// Phrases that describe what the products do well.
    pub features: &'static [&'static str],
    pub aisles: [Aisle; 5],
}

/// A second-level category.
pub struct Aisle {
    pub name: &'static str,
    pub nouns: &'static [&'static str],
    /// Price range in whole currency units.
    pub price: (u32, u32),
    /// Shipping weight range in grams.
    pub weight: (u32, u32),
}

const fn aisle(name: &'static str, nouns: &'static [&'static str], price: (u32, u32), weight: (u32, u32)) -> Aisle {
    Aisle { name, nouns, price, weight }
}

pub const COLOURS: &[&str] = &["Black", "White", "Navy", "Forest Green", "Charcoal", "Sand", "Red", "Sky Blue", "Olive", "Silver"];
pub const SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "XXL"];

pub const ADJECTIVES: &[&str] = &[
    "Pro", "Ultra", "Classic", "Essential", "Compact", "Premium", "Everyday", "Lite", "Max", "Air",
    "Eco", "Signature", "Studio", "Urban", "Heritage", "Nova", "Flex", "Prime", "Trail", "Core",
];

pub const DEPARTMENTS: [Department; 8] = [
    Department {
        name: "Electronics",
        description: "Phones, laptops, audio and cameras from the brands you trust.",
        brands: ["Voltix", "Lumora", "Arcwave", "Novatek", "Pixelon"],
        attributes: &[
            ("Colour", &["Black", "Silver", "White", "Graphite", "Midnight Blue"]),
            ("Connectivity", &["Bluetooth 5.3", "Wi-Fi 6", "Wi-Fi 6E", "USB-C", "5G"]),
            ("Warranty", &["1 year", "2 years", "3 years"]),
        ],
        features: &["all-day battery life", "a bright, colour-accurate display", "fast charging", "low-latency wireless", "a fanless, silent design", "studio-grade sound"],
        aisles: [
            aisle("Smartphones", &["Smartphone", "Phone"], (149, 1299), (150, 240)),
            aisle("Laptops", &["Laptop", "Notebook", "Ultrabook"], (399, 2999), (1000, 2600)),
            aisle("Headphones", &["Headphones", "Earbuds", "Headset"], (19, 449), (40, 400)),
            aisle("Televisions", &["TV", "Television", "Smart TV"], (199, 2999), (6000, 25000)),
            aisle("Cameras", &["Camera", "Mirrorless Camera", "Action Camera"], (129, 2499), (120, 900)),
        ],
    },
    Department {
        name: "Fashion",
        description: "Clothing, shoes and outerwear for every season.",
        brands: ["Northbound", "Maison Clé", "Urbanthread", "Fjellvik", "Solstice"],
        attributes: &[
            ("Colour", COLOURS),
            ("Size", SIZES),
            ("Material", &["Organic cotton", "Linen", "Merino wool", "Denim", "Recycled polyester", "Leather"]),
        ],
        features: &["a relaxed, modern fit", "breathable fabric", "reinforced seams", "a soft brushed finish", "water-repellent coating", "easy-care washing"],
        aisles: [
            aisle("Dresses", &["Dress", "Maxi Dress", "Wrap Dress"], (29, 249), (200, 600)),
            aisle("Shirts", &["Shirt", "Oxford Shirt", "Flannel Shirt", "T-Shirt"], (15, 129), (150, 400)),
            aisle("Jackets & Coats", &["Jacket", "Parka", "Raincoat", "Bomber Jacket"], (49, 499), (500, 1800)),
            aisle("Jeans & Trousers", &["Jeans", "Slim Jeans", "Chinos", "Trousers"], (29, 199), (400, 900)),
            aisle("Sneakers", &["Sneakers", "Trainers", "Running Shoes"], (39, 229), (600, 1200)),
        ],
    },
    Department {
        name: "Home & Kitchen",
        description: "Cookware, coffee, bedding and lighting to make a house a home.",
        brands: ["Hearthstone", "Copperleaf", "Nordhaus", "Kettleworks", "Mellow & Co"],
        attributes: &[
            ("Colour", &["White", "Black", "Copper", "Sage", "Terracotta", "Oak"]),
            ("Material", &["Stainless steel", "Cast iron", "Ceramic", "Bamboo", "Cotton", "Glass"]),
            ("Finish", &["Matte", "Gloss", "Brushed", "Natural"]),
        ],
        features: &["even heat distribution", "dishwasher-safe parts", "a space-saving design", "a timeless look", "easy cleaning", "sustainably sourced materials"],
        aisles: [
            aisle("Cookware", &["Frying Pan", "Saucepan", "Dutch Oven", "Wok"], (19, 349), (800, 6000)),
            aisle("Coffee & Tea", &["Coffee Maker", "Espresso Machine", "Kettle", "French Press"], (19, 899), (500, 9000)),
            aisle("Bedding", &["Duvet Cover", "Pillow", "Sheet Set", "Blanket"], (19, 249), (500, 3000)),
            aisle("Lighting", &["Floor Lamp", "Desk Lamp", "Pendant Light"], (19, 399), (500, 8000)),
            aisle("Storage", &["Storage Box", "Shelf", "Basket"], (9, 199), (300, 12000)),
        ],
    },
    Department {
        name: "Sports & Outdoors",
        description: "Gear for camping, cycling, running and training.",
        brands: ["Trailcraft", "Peakline", "Velocita", "Tidebreak", "Summit Forge"],
        attributes: &[
            ("Colour", COLOURS),
            ("Size", SIZES),
            ("Material", &["Ripstop nylon", "Aluminium", "Neoprene", "Recycled polyester", "Carbon fibre"]),
        ],
        features: &["an ultralight build", "weatherproof protection", "a secure, adjustable fit", "reflective details", "quick-dry fabric", "a lifetime guarantee"],
        aisles: [
            aisle("Camping", &["Tent", "Sleeping Bag", "Camping Stove", "Backpack"], (19, 699), (300, 5000)),
            aisle("Cycling", &["Bike Helmet", "Bike Light", "Cycling Gloves", "Bike Lock"], (9, 249), (100, 1500)),
            aisle("Fitness", &["Yoga Mat", "Dumbbell Set", "Resistance Bands", "Kettlebell"], (9, 399), (200, 20000)),
            aisle("Running", &["Running Jacket", "Running Shorts", "Hydration Vest"], (19, 199), (100, 600)),
            aisle("Water Sports", &["Wetsuit", "Paddle Board", "Swim Goggles"], (9, 899), (100, 12000)),
        ],
    },
    Department {
        name: "Beauty & Health",
        description: "Skincare, hair care, fragrance and wellness.",
        brands: ["Luméa", "Botaniq", "Purelle", "Aurora Skin", "Verdance"],
        attributes: &[
            ("Volume", &["30 ml", "50 ml", "100 ml", "250 ml"]),
            ("Scent", &["Unscented", "Citrus", "Lavender", "Sandalwood", "Rose"]),
            ("Skin type", &["All skin types", "Dry", "Oily", "Sensitive"]),
        ],
        features: &["dermatologist-tested formulas", "vegan ingredients", "a lightweight texture", "long-lasting results", "recyclable packaging", "no added parabens"],
        aisles: [
            aisle("Skincare", &["Face Serum", "Moisturiser", "Cleanser", "Sunscreen"], (9, 129), (50, 400)),
            aisle("Hair Care", &["Shampoo", "Conditioner", "Hair Dryer", "Hair Oil"], (7, 349), (100, 900)),
            aisle("Fragrance", &["Eau de Parfum", "Eau de Toilette", "Body Mist"], (19, 199), (100, 500)),
            aisle("Oral Care", &["Electric Toothbrush", "Water Flosser", "Toothpaste"], (4, 249), (50, 800)),
            aisle("Wellness", &["Massage Gun", "Smart Scale", "Heating Pad"], (19, 399), (300, 2500)),
        ],
    },
    Department {
        name: "Toys & Games",
        description: "Board games, puzzles and building sets for all ages.",
        brands: ["Brickwell", "Tinker Tots", "Playforge", "Wonderkin", "Marble Fox"],
        attributes: &[
            ("Age", &["3+", "6+", "8+", "12+", "Adult"]),
            ("Players", &["1", "1–4", "2–4", "2–6"]),
            ("Colour", &["Multicolour", "Red", "Blue", "Yellow", "Green"]),
        ],
        features: &["hours of screen-free fun", "sturdy, child-safe parts", "clear, illustrated instructions", "replayable challenges", "a gift-ready box"],
        aisles: [
            aisle("Board Games", &["Board Game", "Strategy Game", "Party Game"], (14, 89), (500, 2500)),
            aisle("Puzzles", &["Jigsaw Puzzle", "3D Puzzle", "Puzzle Box"], (9, 59), (300, 1500)),
            aisle("Building Sets", &["Building Set", "Construction Kit", "Robot Kit"], (14, 399), (300, 4000)),
            aisle("Outdoor Toys", &["Kite", "Scooter", "Water Blaster", "Trampoline"], (9, 399), (200, 30000)),
            aisle("Dolls & Figures", &["Action Figure", "Doll", "Plush Toy"], (9, 99), (100, 1200)),
        ],
    },
    Department {
        name: "Garden & DIY",
        description: "Power tools, hand tools and everything for the garden.",
        brands: ["Ironroot", "Greenhand", "Boltline", "Terracraft", "Oakmere"],
        attributes: &[
            ("Colour", &["Green", "Black", "Orange", "Grey", "Yellow"]),
            ("Power source", &["Cordless 18 V", "Cordless 36 V", "Corded", "Manual"]),
            ("Material", &["Hardened steel", "Aluminium", "Teak", "Recycled plastic", "Galvanised steel"]),
        ],
        features: &["a brushless motor", "an ergonomic grip", "weather-resistant construction", "tool-free assembly", "a long-life battery", "a five-year warranty"],
        aisles: [
            aisle("Power Tools", &["Cordless Drill", "Impact Driver", "Circular Saw", "Jigsaw"], (39, 499), (900, 4500)),
            aisle("Hand Tools", &["Screwdriver Set", "Hammer", "Wrench Set", "Tool Box"], (9, 199), (300, 6000)),
            aisle("Garden Tools", &["Garden Hose", "Pruning Shears", "Lawn Mower", "Leaf Blower"], (9, 799), (300, 30000)),
            aisle("Plants & Pots", &["Planter", "Plant Pot", "Raised Bed", "Seed Kit"], (5, 249), (200, 25000)),
            aisle("Outdoor Furniture", &["Garden Chair", "Patio Table", "Hammock", "Sun Lounger"], (39, 1299), (3000, 40000)),
        ],
    },
    Department {
        name: "Pets",
        description: "Beds, toys, food and care for dogs, cats and more.",
        brands: ["Pawsome", "Whisker & Co", "Furbright", "Tailwind Pets", "Barkley"],
        attributes: &[
            ("Colour", &["Brown", "Grey", "Blue", "Pink", "Black"]),
            ("Pet size", &["Small", "Medium", "Large", "All sizes"]),
            ("Material", &["Plush", "Nylon", "Natural rubber", "Sisal", "Stainless steel"]),
        ],
        features: &["vet-approved design", "machine-washable covers", "non-toxic materials", "a chew-resistant build", "a non-slip base"],
        aisles: [
            aisle("Dog Supplies", &["Dog Bed", "Dog Leash", "Dog Toy", "Dog Harness"], (7, 199), (100, 5000)),
            aisle("Cat Supplies", &["Cat Tree", "Litter Box", "Cat Toy", "Scratching Post"], (5, 249), (100, 15000)),
            aisle("Aquarium", &["Aquarium Filter", "Fish Tank", "Aquarium Heater"], (9, 499), (200, 30000)),
            aisle("Small Animals", &["Hamster Cage", "Rabbit Hutch", "Hay Feeder"], (9, 299), (300, 20000)),
            aisle("Pet Food", &["Dry Dog Food", "Wet Cat Food", "Dog Treats", "Cat Treats"], (3, 89), (200, 12000)),
        ],
    },
];

/// Marketplace sellers that own part of the catalog.
pub const SELLERS: [&str; 5] = ["Oxcart Direct", "Northwind Traders", "Harbour Goods", "Alpine Supply Co", "Cedar & Pine"];
