-- Demo data for a freshly migrated Tessera database (sql/001_schema.sql):
-- 3 organizers, a site admin and 23 attendees; 63 events in 7 cities
-- (15 past, 48 upcoming, of which 4 drafts and 2 cancelled), ticket types,
-- orders in every state (held, waiting for an offline payment, paid, expired,
-- cancelled, refunded, refund due) with tickets, reviews of past events
-- (some answered by the organizer, one hidden after reports) and the
-- notifications all that made, read and unread.
--
-- ./stack loads it once, as tessera_migrate, when the events table is empty.
-- It runs in one transaction. Times are relative to when it is loaded.
-- Counters are set from a recount at the end, so ticket_types.sold equals
-- the tickets of paid orders per ticket type, and events.rating_sum,
-- rating_count and rating_1 .. rating_5 equal their shown reviews; the e2e
-- tests check both.
--
-- Every demo account's password is "tessera-demo" (local demo data only;
-- never load this file into a real site). Codes are derived from hashes of
-- row numbers, so every load produces the same codes.
-- One event is deliberately hostile (title and description full of markup)
-- for the escaping tests: see tests/e2e/README.

SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
-- libscrypt MCF hash of "tessera-demo" (N=32768, r=8, p=1).
SET @demo_password = '$s1$0f0801$88k4rFi7wF+64gYkSF2hKw==$eTiEs3kyg5tNwfD70CtZkyiigB9pH+HwcvJ6VFiyLDgTPsk9ldbbnbozA0O9eAg3v9/aazOcVumhc601K+U1pQ==';
SET @code_alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

START TRANSACTION;

-- ------------------------------------------------------------------ people

INSERT INTO users (email, display_name, password_hash, role, email_verified_at, created_at) VALUES
  ('admin@tessera.test', 'Site Admin', @demo_password, 'admin', UTC_TIMESTAMP() - INTERVAL 419 DAY, UTC_TIMESTAMP() - INTERVAL 420 DAY),
  ('organizer@tessera.test', 'Nordlicht Live', @demo_password, 'organizer', UTC_TIMESTAMP() - INTERVAL 399 DAY, UTC_TIMESTAMP() - INTERVAL 400 DAY),
  ('organizer2@tessera.test', 'Open Stage Collective', @demo_password, 'organizer', UTC_TIMESTAMP() - INTERVAL 379 DAY, UTC_TIMESTAMP() - INTERVAL 380 DAY),
  ('organizer3@tessera.test', 'Kairos Talks & Workshops', @demo_password, 'organizer', UTC_TIMESTAMP() - INTERVAL 359 DAY, UTC_TIMESTAMP() - INTERVAL 360 DAY),
  ('alice@tessera.test', 'Alice Martin', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 299 DAY, UTC_TIMESTAMP() - INTERVAL 300 DAY),
  ('bob@tessera.test', 'Bob Okafor', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 289 DAY, UTC_TIMESTAMP() - INTERVAL 290 DAY),
  ('carla@tessera.test', 'Carla Ferreira', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 279 DAY, UTC_TIMESTAMP() - INTERVAL 280 DAY),
  ('dmitri@tessera.test', 'Dmitri Volkov', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 269 DAY, UTC_TIMESTAMP() - INTERVAL 270 DAY),
  ('elif@tessera.test', 'Elif Yılmaz', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 259 DAY, UTC_TIMESTAMP() - INTERVAL 260 DAY),
  ('farid@tessera.test', 'Farid Haddad', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 249 DAY, UTC_TIMESTAMP() - INTERVAL 250 DAY),
  ('greta@tessera.test', 'Greta Lindqvist', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 239 DAY, UTC_TIMESTAMP() - INTERVAL 240 DAY),
  ('hugo@tessera.test', 'Hugo Lefèvre', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 229 DAY, UTC_TIMESTAMP() - INTERVAL 230 DAY),
  ('ines@tessera.test', 'Inês Carvalho', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 219 DAY, UTC_TIMESTAMP() - INTERVAL 220 DAY),
  ('jonas@tessera.test', 'Jonas Becker', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 209 DAY, UTC_TIMESTAMP() - INTERVAL 210 DAY),
  ('katarzyna@tessera.test', 'Katarzyna Nowak', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 199 DAY, UTC_TIMESTAMP() - INTERVAL 200 DAY),
  ('lars@tessera.test', 'Lars de Vries', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 189 DAY, UTC_TIMESTAMP() - INTERVAL 190 DAY),
  ('maria@tessera.test', 'María García', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 179 DAY, UTC_TIMESTAMP() - INTERVAL 180 DAY),
  ('nikos@tessera.test', 'Nikos Papadopoulos', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 169 DAY, UTC_TIMESTAMP() - INTERVAL 170 DAY),
  ('olga@tessera.test', 'Olga Svobodová', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 159 DAY, UTC_TIMESTAMP() - INTERVAL 160 DAY),
  ('pedro@tessera.test', 'Pedro Alves', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 149 DAY, UTC_TIMESTAMP() - INTERVAL 150 DAY),
  ('quentin@tessera.test', 'Quentin Moreau', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 139 DAY, UTC_TIMESTAMP() - INTERVAL 140 DAY),
  ('rosa@tessera.test', 'Rosa Bianchi', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 129 DAY, UTC_TIMESTAMP() - INTERVAL 130 DAY),
  ('sven@tessera.test', 'Sven Hofmann', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 119 DAY, UTC_TIMESTAMP() - INTERVAL 120 DAY),
  ('tereza@tessera.test', 'Tereza Dvořáková', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 109 DAY, UTC_TIMESTAMP() - INTERVAL 110 DAY),
  ('umar@tessera.test', 'Umar Sheikh', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 99 DAY, UTC_TIMESTAMP() - INTERVAL 100 DAY),
  ('vera@tessera.test', 'Vera Janssen', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 89 DAY, UTC_TIMESTAMP() - INTERVAL 90 DAY),
  ('wim@tessera.test', 'Wim Peeters', @demo_password, 'attendee', UTC_TIMESTAMP() - INTERVAL 79 DAY, UTC_TIMESTAMP() - INTERVAL 80 DAY);

-- Buyers are the attendees, numbered 0..n-1.
CREATE TEMPORARY TABLE demo_buyer (
  n        INT NOT NULL PRIMARY KEY,
  user_id  BIGINT UNSIGNED NOT NULL
);
INSERT INTO demo_buyer (n, user_id)
SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id
FROM users WHERE role = 'attendee' AND email LIKE '%@tessera.test';
SET @buyers = (SELECT COUNT(*) FROM demo_buyer);

-- ------------------------------------------------------------------ events

-- day_offset: days from today (UTC); start_min: minutes after midnight UTC
-- (the local start time less the city's winter offset from UTC).
CREATE TEMPORARY TABLE demo_event (
  k            INT NOT NULL PRIMARY KEY,
  kind         VARCHAR(20) NOT NULL,
  organizer    VARCHAR(254) NOT NULL,
  title        VARCHAR(200) NOT NULL,
  summary      VARCHAR(300) NOT NULL,
  description  TEXT NOT NULL,
  venue        VARCHAR(200) NOT NULL,
  address      VARCHAR(300) NOT NULL,
  city         VARCHAR(100) NOT NULL,
  timezone     VARCHAR(64) NOT NULL,
  day_offset   INT NOT NULL,
  start_min    INT NOT NULL,
  duration_min INT NOT NULL,
  status       VARCHAR(20) NOT NULL,
  starts_at    DATETIME NULL,
  event_id     BIGINT UNSIGNED NULL
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_event (k, kind, organizer, title, summary, description, venue, address,
  city, timezone, day_offset, start_min, duration_min, status) VALUES
  (1, 'concert', 'organizer@tessera.test', 'Kammerflimmern: Late Night Strings',
   'A string octet plays Mendelssohn and Reich in a former pumping station, lights low, from nine until late.',
   'Kammerflimmern is Berlin''s after-hours chamber music series: eight young string players, a dark hall by the Spree and a programme that swings between the 19th century and the minimalists.\n\nTonight they pair Mendelssohn''s Octet in E-flat, written when he was sixteen, with Steve Reich''s Different Trains for string quartet and tape. Between the two there is a short break with drinks from the bar.\n\nSeating is unreserved on benches and cushions; come early if you want to sit close to the players.',
   'Radialsystem', 'Holzmarktstraße 33, 10243 Berlin', 'Berlin', 'Europe/Berlin', 9, 1200, 120, 'published'),
  (2, 'talk', 'organizer3@tessera.test', 'Cities After Cars: Rethinking the Berlin Ring',
   'Urban planner Dr. Hanna Roth on what the S-Bahn ring could look like with half the traffic and twice the trees.',
   'Inside the Ring, Berlin is denser than Paris in places and emptier than a village in others. Dr. Hanna Roth has spent ten years studying how streets inside the S-Bahn ring are used, hour by hour.\n\nIn this illustrated talk she shows three neighbourhoods, Moabit, Neukölln and Prenzlauer Berg, redrawn for a city where most trips are on foot, by bike or by tram, and asks what it would cost, who would pay and who would gain.\n\nThe talk is in English with questions in English or German. It lasts about an hour, followed by thirty minutes of discussion.',
   'Urania Berlin', 'An der Urania 17, 10787 Berlin', 'Berlin', 'Europe/Berlin', 16, 1080, 90, 'published'),
  (3, 'workshop', 'organizer3@tessera.test', 'Screen Printing for Beginners',
   'Design, expose and print your own two-colour tote bag and poster in one day at a working print studio.',
   'Learn the whole screen printing process in a single Saturday: preparing a design, coating and exposing a screen, registering two colours and pulling clean prints.\n\nAll materials are included: two tote bags, three poster sheets, inks and screens. Wear clothes that may get ink on them. We break for lunch at 13:30 (not included; there are good cafés around Mariannenplatz).\n\nMaximum twelve participants so everyone gets time at the press.',
   'Druckwerkstatt im Kunstquartier Bethanien', 'Mariannenplatz 2, 10997 Berlin', 'Berlin', 'Europe/Berlin', 23, 600, 300, 'published'),
  (4, 'festival', 'organizer@tessera.test', 'Spree Sound Weekend',
   'Two days of electronic, indie and Afrobeat on three stages by the river, with food trucks and a late-night warehouse floor.',
   'Spree Sound Weekend returns to the halls and riverside lawns of Arena Berlin for two days and one very long night.\n\nThree stages: the Main Hall for live bands, the Glashaus for electronic sets until 04:00, and the open-air Badeschiff Deck for Afrobeat, highlife and dub in the afternoon. The full line-up is announced six weeks before the festival.\n\nDay passes are valid for one day including the night that follows. Weekend passes cover both days. VIP includes a separate entrance, the upstairs lounge and a drink voucher per day. The festival is wheelchair accessible; write to us for companion tickets.',
   'Arena Berlin', 'Eichenstraße 4, 12435 Berlin', 'Berlin', 'Europe/Berlin', 60, 780, 2280, 'published'),
  (5, 'theatre', 'organizer2@tessera.test', 'The Cherry Orchard (in English)',
   'Chekhov''s last play about a family that cannot let go, staged in English by an international ensemble.',
   'Madame Ranevskaya returns from Paris to her estate, heavy with debt, where the cherry orchard is about to be sold. Everyone has a plan; nobody acts on it.\n\nDirector Aoife Brennan''s production keeps Chekhov''s comedy and cruelty side by side, with a cast from six countries and live music on an out-of-tune piano.\n\nRunning time about two and a half hours with one interval. Performed in English.',
   'English Theatre Berlin', 'Fidicinstraße 40, 10965 Berlin', 'Berlin', 'Europe/Berlin', 30, 1110, 150, 'published'),
  (6, 'meetup', 'organizer3@tessera.test', 'Systems Programming Night: C, Rust and Zig',
   'Three short talks on memory, parsers and fuzzing, then pizza and hallway conversation. Free, registration required.',
   'Our monthly systems programming evening for people who like to know what the machine is doing.\n\nThis month: ''Arena allocators in practice'' (20 min), ''Writing a parser you can fuzz'' (20 min) and ''What Zig''s comptime taught me about C macros'' (15 min). Lightning talks welcome; bring a laptop and five minutes of slides.\n\nAdmission is free, but the room holds 120 people, so please book a ticket and cancel it if you cannot come.',
   'c-base', 'Rungestraße 20, 10179 Berlin', 'Berlin', 'Europe/Berlin', 5, 1080, 180, 'published'),
  (7, 'concert', 'organizer@tessera.test', 'Jazz at the Kesselhaus: Marta Wójcik Quartet',
   'The Polish pianist and her quartet present their new album ''Winter Harbour'' on the Kulturbrauerei''s big stage.',
   'Marta Wójcik writes songs without words: long, patient melodies that open up into free improvisation and close again. Her quartet with saxophonist Jens Auer, bassist Kofi Mensah and drummer Lina Sato has played together for eight years.\n\n''Winter Harbour'' was recorded in Gdańsk in one day with no overdubs, and this concert follows the album from start to finish before the encores.\n\nStanding in front of the stage, seated on the balcony.',
   'Kesselhaus in der Kulturbrauerei', 'Schönhauser Allee 36, 10435 Berlin', 'Berlin', 'Europe/Berlin', -12, 1140, 150, 'published'),
  (8, 'talk', 'organizer3@tessera.test', 'How Berlin Learned to Love Its Courtyards',
   'Architecture historian Felix Baumann on the Hinterhof, from tenement misery to the most sought-after quiet in the city.',
   'Berlin''s back courtyards were once shorthand for overcrowding: five floors of tenements around a light well, with the poorest families in the third courtyard. Today they are gardens, studios and playgrounds.\n\nFelix Baumann traces that change through building codes, wartime damage, squats and restoration, with photographs from the Landesarchiv that have rarely been shown.',
   'Deutsches Architektur Zentrum', 'Wilhelmine-Gemberg-Weg 6, 10179 Berlin', 'Berlin', 'Europe/Berlin', -40, 1080, 90, 'published'),
  (9, 'meetup', 'organizer3@tessera.test', 'Web Security Meetup: <script>alert("x")</script> & ''quotes''',
   'Cross-site scripting today: why <script>alert("x")</script> & ''quotes'' still break sites, and how escaping fixes it.',
   'Every web developer has seen <script>alert("x")</script> pop up somewhere it should not. This meetup is about why that still happens, and why escaping & < > " '' on output is the fix that works.\n\nTalks: ''Context matters: HTML, attributes and URLs'' and ''Templates that escape by default''. Bring your favourite payload, e.g. <img src=x onerror=alert(1)> or {{title}} or a javascript:alert(1) link, and we will see which frameworks survive it.\n\nTonight''s title and this text are deliberately hostile; if you see an alert box, the site has a bug.',
   'c-base', 'Rungestraße 20, 10179 Berlin', 'Berlin', 'Europe/Berlin', 37, 1080, 150, 'published'),
  (10, 'concert', 'organizer@tessera.test', 'Fado ao Vivo: Noites de Alfama',
   'Three fadistas and a Portuguese guitar trio in a small Alfama house, as fado is meant to be heard: close and quiet.',
   'Fado was born in the taverns of Alfama and Mouraria, and it still sounds best in a room for sixty people. Tonight three singers, Ana Moura Lopes, Rui Prata and the young Beatriz Sena, take turns with the guitar trio led by José Manuel Neto.\n\nSilence is asked during the songs; drinks are served between sets. The dinner ticket includes a three-course Portuguese dinner from 20:00 at the reserved tables closest to the singers.',
   'Clube de Fado', 'Rua de São João da Praça 94, 1100-521 Lisboa', 'Lisbon', 'Europe/Lisbon', 4, 1290, 150, 'published'),
  (11, 'talk', 'organizer3@tessera.test', 'The Tiles of Lisbon: Five Centuries of Azulejos',
   'A curator''s tour through the history of Portuguese tiles, from Moorish patterns to the metro stations of the 1990s.',
   'Azulejos cover churches, palaces, train stations and ordinary houses all over Lisbon. Curator Inês Duarte explains how they are made, how they travelled from Seville and the Netherlands, and how Lisbon rebuilt itself in tiles after the 1755 earthquake.\n\nAfter the talk there is time to see the museum''s panorama of Lisbon before the earthquake, a 23-metre tile panel. The talk is in English.',
   'Museu Nacional do Azulejo', 'Rua da Madre de Deus 4, 1900-312 Lisboa', 'Lisbon', 'Europe/Lisbon', 12, 1110, 75, 'published'),
  (12, 'festival', 'organizer@tessera.test', 'Tejo Electronic Festival',
   'Two days and nights of electronic music in the old factory halls of LX Factory, by the bridge over the Tagus.',
   'Tejo Electronic takes over LX Factory''s printing halls, rooftop and courtyard for a weekend of house, techno and Lisbon''s own batida scene.\n\nDaytime sets on the rooftop look out over the 25 de Abril bridge; after dark the music moves into the halls until 06:00. Food from the LX Factory restaurants, water points everywhere, and a quiet room when you need it.\n\nDay tickets are valid from 16:00 until closing. VIP includes rooftop access all weekend and a fast-lane entrance.',
   'LX Factory', 'Rua Rodrigues de Faria 103, 1300-501 Lisboa', 'Lisbon', 'Europe/Lisbon', 45, 960, 2280, 'published'),
  (13, 'workshop', 'organizer3@tessera.test', 'Pastel de Nata Masterclass',
   'Laminate the dough, cook the custard and bake a dozen custard tarts to take home, with a pastry chef from Belém.',
   'The secret of a good pastel de nata is the dough: thin, crisp layers rolled into a spiral. Chef Carla Menezes shows you how to laminate it by hand, make the custard without it splitting and bake at the very high heat the tarts need.\n\nYou take home twelve tarts and the recipe. Aprons provided. Suitable for vegetarians; please tell us about allergies when you book.',
   'Cozinha Popular da Mouraria', 'Rua das Olarias 5, 1100-376 Lisboa', 'Lisbon', 'Europe/Lisbon', 8, 600, 180, 'published'),
  (14, 'theatre', 'organizer2@tessera.test', 'A Casa de Bernarda Alba',
   'Lorca''s drama of five sisters locked in mourning, performed in Portuguese with English surtitles.',
   'After her second husband''s death, Bernarda Alba imposes eight years of mourning on her five daughters. Behind the shutters, desire and resentment grow until something breaks.\n\nTeatro São Luiz stages Lorca''s last play with an all-female cast of fourteen and a set made entirely of white curtains. In Portuguese with English surtitles; about two hours without an interval.',
   'Teatro São Luiz', 'Rua António Maria Cardoso 38, 1200-027 Lisboa', 'Lisbon', 'Europe/Lisbon', 20, 1200, 120, 'published'),
  (15, 'meetup', 'organizer2@tessera.test', 'Lisbon Remote Workers Breakfast',
   'Coffee, pastéis and introductions for people who work remotely in Lisbon. Newcomers very welcome.',
   'Once a month remote workers, freelancers and people who just moved to Lisbon meet for breakfast at the market hall. No talks, no pitches: a table, coffee and good company.\n\nThe ticket covers a coffee and a pastry. We usually stay until about eleven.',
   'Second Home Lisboa', 'Mercado da Ribeira, Avenida 24 de Julho 50, 1200-479 Lisboa', 'Lisbon', 'Europe/Lisbon', 3, 540, 120, 'published'),
  (16, 'concert', 'organizer@tessera.test', 'Sunset Sessions at Santa Catarina',
   'Acoustic sets on the viewpoint terrace as the sun goes down over the river.',
   'Three acoustic acts, from Cape Verdean morna to Brazilian bossa, play the terrace of the Santa Catarina viewpoint while the sun sets over the Tagus.\n\nBring a jacket; it gets cool after dark. Drinks from the kiosk.',
   'Miradouro de Santa Catarina', 'Rua de Santa Catarina, 1200-012 Lisboa', 'Lisbon', 'Europe/Lisbon', -7, 1080, 150, 'published'),
  (17, 'workshop', 'organizer3@tessera.test', 'Street Photography Walk: Alfama at Golden Hour',
   'A guided photo walk through Alfama''s stairways and squares with a documentary photographer.',
   'Photographer Miguel Rocha leads a small group through Alfama in the best light of the day, with advice on composition, working with people in the street and shooting in narrow lanes.\n\nAny camera will do, phones included. We meet at the Portas do Sol viewpoint and finish near the cathedral around sunset.',
   'Largo das Portas do Sol', 'Largo das Portas do Sol, 1100-411 Lisboa', 'Lisbon', 'Europe/Lisbon', -25, 990, 150, 'published'),
  (18, 'festival', 'organizer@tessera.test', 'Atlantic Jazz Weekend',
   'Big bands, trios and late-night jam sessions at the Coliseu: cancelled, all tickets refunded.',
   'The Atlantic Jazz Weekend was to bring three nights of jazz from both sides of the Atlantic to the Coliseu dos Recreios.\n\nUnfortunately the festival has been cancelled because of a scheduling conflict at the venue. Every ticket has been refunded to the original payment method; you do not need to do anything.',
   'Coliseu dos Recreios', 'Rua das Portas de Santo Antão 96, 1150-269 Lisboa', 'Lisbon', 'Europe/Lisbon', 70, 1140, 1800, 'cancelled'),
  (19, 'concert', 'organizer@tessera.test', 'Chamber Music by Candlelight: Debussy & Ravel',
   'A string quartet and a harpist play Debussy and Ravel in one of Paris''s oldest churches, lit by candles.',
   'Saint-Julien-le-Pauvre, across the river from Notre-Dame, has stood since the 12th century. Tonight its nave is lit only by candles for an hour of French chamber music.\n\nProgramme: Debussy''s String Quartet in G minor, Ravel''s Introduction and Allegro for harp, flute, clarinet and string quartet, and Debussy''s Clair de lune arranged for harp.\n\nPremium tickets are in the first four rows. Doors open 30 minutes before the concert.',
   'Église Saint-Julien-le-Pauvre', '79 Rue Galande, 75005 Paris', 'Paris', 'Europe/Paris', 11, 1140, 75, 'published'),
  (20, 'talk', 'organizer3@tessera.test', 'Baudelaire''s Paris: The City in the Nineteenth Century',
   'Literary historian Claire Moulin reads and explains the Paris poems of Les Fleurs du mal, street by street.',
   'Baudelaire wrote about a city being torn down and rebuilt around him by Haussmann. Claire Moulin reads the Tableaux parisiens alongside photographs by Charles Marville of the streets that disappeared.\n\nThe readings are in French with English translations on screen; the talk is in English.',
   'Maison de la Poésie', 'Passage Molière, 157 Rue Saint-Martin, 75003 Paris', 'Paris', 'Europe/Paris', 18, 1080, 90, 'published'),
  (21, 'theatre', 'organizer2@tessera.test', 'Le Misanthrope',
   'Molière''s sharpest comedy about honesty and society, in a modern-dress production.',
   'Alceste hates flattery and hypocrisy, and tells everyone so, yet he is in love with Célimène, the wittiest flatterer in Paris.\n\nThis production moves the salon to a rooftop party in today''s Paris, with phones buzzing and reputations made and lost in a single message. In French, with English surtitles on Thursdays.',
   'Théâtre de l''Atelier', '1 Place Charles Dullin, 75018 Paris', 'Paris', 'Europe/Paris', 26, 1170, 120, 'published'),
  (22, 'workshop', 'organizer3@tessera.test', 'Natural Wine Tasting: The Loire Valley',
   'Six natural wines from small Loire growers, with cheese and a sommelier who explains what ''natural'' means.',
   'From Muscadet near the Atlantic to Sancerre in the east, the Loire is home to many of France''s natural wine pioneers. Sommelier Élodie Garnier pours six wines, white, orange and red, and explains how each is made.\n\nServed with cheese and bread. Over 18s only.',
   'Atelier du Vin', '24 Rue de Charonne, 75011 Paris', 'Paris', 'Europe/Paris', 6, 1080, 120, 'published'),
  (23, 'meetup', 'organizer2@tessera.test', 'Paris Indie Game Developers Meetup',
   'Play each other''s prototypes, swap tips and meet the people behind Paris''s small game studios.',
   'Bring a laptop with your game, or just come to play. Every meetup has six demo tables, a short talk and plenty of time to chat.\n\nThis month''s talk: ''Shipping a console port with a team of two''. The ticket includes a drink.',
   'Station F', '5 Parvis Alan Turing, 75013 Paris', 'Paris', 'Europe/Paris', 13, 1050, 180, 'published'),
  (24, 'festival', 'organizer@tessera.test', 'Nuits du Canal Saint-Martin',
   'Three nights of concerts and DJs along the canal, with a floating stage and late openings of the bars.',
   'For one long weekend Point Éphémère and the quays of the Canal Saint-Martin become one venue: bands inside, DJs on a barge, and food stands along the water.\n\nThe pass is valid for all three nights. VIP includes the barge terrace and a reserved area in the main hall.',
   'Point Éphémère', '200 Quai de Valmy, 75010 Paris', 'Paris', 'Europe/Paris', 52, 1020, 3240, 'published'),
  (25, 'concert', 'organizer@tessera.test', 'Manu Delacroix Trio: Jazz Manouche',
   'Gypsy jazz in the vaulted cellar where Paris has danced to swing since 1946.',
   'Guitarist Manu Delacroix learned Django Reinhardt''s music from his grandfather, and plays it with the same drive, joined by a second guitar and double bass.\n\nThe cellar is small and the dance floor is open all night.',
   'Le Caveau de la Huchette', '5 Rue de la Huchette, 75005 Paris', 'Paris', 'Europe/Paris', -18, 1200, 180, 'published'),
  (26, 'talk', 'organizer3@tessera.test', 'The Science of Sourdough',
   'A microbiologist and a baker explain what happens inside a loaf, with tasting.',
   'Sourdough is an ecosystem of wild yeasts and bacteria. Microbiologist Dr. Amélie Roux and baker Thomas Petit explain how it works, why it is easier to digest and how to keep a starter alive on holiday.\n\nWith bread tasting and a small jar of starter to take home.',
   'Cité des Sciences et de l''Industrie', '30 Avenue Corentin Cariou, 75019 Paris', 'Paris', 'Europe/Paris', -55, 1020, 90, 'published'),
  (27, 'meetup', 'organizer2@tessera.test', 'Printemps Poetry Slam',
   'Open-mic poetry slam in French and English. Line-up and rules to be announced.',
   'Draft: the slam format, jury and prize are still being decided with La Bellevilloise.\n\nThree-minute rule, no props, no music.',
   'La Bellevilloise', '19-21 Rue Boyer, 75020 Paris', 'Paris', 'Europe/Paris', 120, 1140, 180, 'draft'),
  (28, 'concert', 'organizer@tessera.test', 'Brass & Baroque: Music for Ceremonial Occasions',
   'Trumpets, trombones and organ play Gabrieli, Purcell and Handel in the Gothic Minoritenkirche.',
   'Music written to fill great churches: Giovanni Gabrieli''s canzonas for St Mark''s in Venice, Purcell''s music for the funeral of Queen Mary and Handel''s Music for the Royal Fireworks arranged for brass and organ.\n\nThe Ensemble Wiener Blech plays from the choir and the gallery, so the sound moves around the church. About 80 minutes without an interval.',
   'Minoritenkirche', 'Minoritenplatz 2A, 1010 Wien', 'Vienna', 'Europe/Vienna', 22, 1110, 80, 'published'),
  (29, 'talk', 'organizer3@tessera.test', 'Freud, Dreams and the Modern City',
   'In the rooms where Freud worked for 47 years, a talk on how Vienna around 1900 shaped psychoanalysis.',
   'Berggasse 19 was Freud''s home and practice from 1891 to 1938. Historian Dr. Judith Lang explains how the city outside, with its coffee houses, its crowded tenements and its anxious bourgeoisie, found its way into his case studies and into The Interpretation of Dreams.\n\nLimited to 80 guests. Includes access to the museum.',
   'Sigmund Freud Museum', 'Berggasse 19, 1090 Wien', 'Vienna', 'Europe/Vienna', 14, 1020, 90, 'published'),
  (30, 'workshop', 'organizer3@tessera.test', 'Viennese Baking: Apfelstrudel from Scratch',
   'Stretch strudel dough until you can read a newspaper through it, then fill, roll and bake your own.',
   'Real strudel dough is stretched by hand over a tablecloth until it is thin enough to read through. Pastry cook Maria Huber shows how, and you make your own apple strudel from start to finish.\n\nWe eat the strudel warm with vanilla sauce at the end, and you take the recipe home.',
   'Kochschule am Bauernmarkt', 'Bauernmarkt 10, 1010 Wien', 'Vienna', 'Europe/Vienna', 10, 840, 180, 'published'),
  (31, 'theatre', 'organizer2@tessera.test', 'Der Talisman by Nestroy',
   'Nestroy''s farce about a red-haired outsider and a black wig, with English surtitles.',
   'Titus Feuerfuchs is mocked everywhere for his red hair, until a borrowed black wig makes him irresistible. Johann Nestroy''s 1840 farce is full of songs and wordplay, and still very funny about prejudice and luck.\n\nIn German with English surtitles. About two and a half hours with one interval.',
   'Theater in der Josefstadt', 'Josefstädter Straße 26, 1080 Wien', 'Vienna', 'Europe/Vienna', 33, 1110, 150, 'published'),
  (32, 'meetup', 'organizer2@tessera.test', 'Vienna Urban Sketchers: Naschmarkt Morning',
   'Draw the market stalls with the local Urban Sketchers group. All levels, bring your own materials.',
   'Urban Sketchers Wien meets every month to draw the city on location. This time we spend the morning at the Naschmarkt, then share our sketchbooks over coffee at noon.\n\nFree; booking helps us know how many are coming.',
   'Naschmarkt', 'Naschmarkt, Kettenbrückengasse exit, 1040 Wien', 'Vienna', 'Europe/Vienna', 7, 510, 150, 'published'),
  (33, 'festival', 'organizer@tessera.test', 'Danube Island Open Air',
   'Three stages on the Donauinsel for a summer weekend of pop, rock and Austropop.',
   'A summer weekend on the island in the Danube: three stages, swimming between sets and the city skyline across the water.\n\nLine-up to be announced in spring. Weekend passes include free public transport to the island on festival days.',
   'Donauinsel', 'Donauinsel, Neue Donau U6 station, 1210 Wien', 'Vienna', 'Europe/Vienna', 150, 780, 2160, 'published'),
  (34, 'concert', 'organizer@tessera.test', 'Schubert Lieder Evening',
   'Winterreise by candlelight: a baritone and a fortepiano in the intimate Ehrbar Saal.',
   'Schubert''s Winterreise, twenty-four songs of a lonely journey through snow, sung by baritone Lukas Steiner with Yuki Tanaka on an 1820s Viennese fortepiano.\n\nThe Ehrbar Saal, a piano maker''s concert hall from 1877, holds 180 people and has near-perfect acoustics for song.',
   'Ehrbar Saal', 'Mühlgasse 30, 1040 Wien', 'Vienna', 'Europe/Vienna', -30, 1110, 90, 'published'),
  (35, 'theatre', 'organizer2@tessera.test', 'Waiting for Godot',
   'Beckett''s tragicomedy of two men, one tree and an appointment that is never kept, in English.',
   'Vladimir and Estragon wait by a tree for someone called Godot. They talk, quarrel, make up and wait some more.\n\nPerformed in English by a touring company from Dublin. About two hours with an interval.',
   'Vienna''s English Theatre', 'Josefsgasse 12, 1080 Wien', 'Vienna', 'Europe/Vienna', -9, 1110, 120, 'published'),
  (36, 'workshop', 'organizer3@tessera.test', 'Ball Season Dance Crash Course',
   'Learn the Viennese waltz, the polka and the quadrille in one evening before the ball season starts.',
   'Draft: dates and prices with the dance school still to be confirmed.\n\nPartners not required; we rotate.',
   'Tanzschule am Ring', 'Opernring 7, 1010 Wien', 'Vienna', 'Europe/Vienna', 95, 1020, 180, 'draft'),
  (37, 'concert', 'organizer@tessera.test', 'Canal Jazz Night',
   'A double bill of Dutch jazz at the Bimhuis, with a view over the IJ from the bar.',
   'Two bands, two sides of Dutch jazz: the Saskia Veldman Quintet''s tight modern compositions, then the loose, joyous sound of the Amsterdam Brass Collective.\n\nThe Bimhuis is a black box on stilts above the water; arrive early for a drink at the window.',
   'Bimhuis', 'Piet Heinkade 3, 1019 BR Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 15, 1170, 150, 'published'),
  (38, 'talk', 'organizer3@tessera.test', 'Water, Land and the Dutch Future',
   'Hydrologist Prof. Maarten de Wit on how a country below sea level plans for the next 200 years.',
   'A quarter of the Netherlands lies below sea level and the sea is rising. Prof. Maarten de Wit explains the Delta Programme, the choice between higher dikes and more room for rivers, and what other coastal cities are learning from Dutch engineers.\n\nIn English, followed by questions and a drink on the terrace.',
   'Pakhuis de Zwijger', 'Piet Heinkade 179, 1019 HC Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 19, 1110, 90, 'published'),
  (39, 'workshop', 'organizer3@tessera.test', 'Bike Repair Basics',
   'Fix a flat, adjust brakes and gears, and stop your chain squeaking. Bring your own bike.',
   'In Amsterdam a bike is not a hobby, it is how you get around. Mechanic Ruben Smit teaches the repairs you will need most: tyres and tubes, brake pads, gear adjustment and chain care.\n\nBring your own bike; tools and spare parts are provided. Groups of ten.',
   'Fietswerkplaats Oost', 'Javaplein 21, 1095 CJ Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 9, 720, 180, 'published'),
  (40, 'festival', 'organizer@tessera.test', 'Amsterdam Dance & Light Weekend',
   'Draft: two nights of light art and electronic music on the NDSM shipyard.',
   'Draft: line-up, artists and ticket prices are still being negotiated with the NDSM shipyard.\n\nPlanned: light installations across the wharf, two dance floors in the ship halls.',
   'NDSM-werf', 'NDSM-Plein 28, 1033 WB Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 75, 1140, 1920, 'draft'),
  (41, 'theatre', 'organizer2@tessera.test', 'Boom Chicago Improv: Best of the Year',
   'Amsterdam''s English-language comedy theatre performs the best scenes of the year, plus brand new improvisation.',
   'For 30 years Boom Chicago has made Amsterdam laugh in English. This show mixes the best sketches of the season with scenes made up on the spot from the audience''s suggestions.\n\nAbout 90 minutes. Food and drinks are served in the theatre.',
   'Boom Chicago', 'Rozengracht 117, 1016 LV Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 17, 1155, 90, 'published'),
  (42, 'meetup', 'organizer2@tessera.test', 'Open Source Hardware Night',
   'Show-and-tell of home-made electronics, keyboards and robots. Free entry at the public library.',
   'Bring what you are building, whether it is a mechanical keyboard, a weather station or a robot that almost works, and show it to people who will appreciate it.\n\nTables and power provided. Free entry; please book so the library knows how many to expect.',
   'OBA Oosterdok', 'Oosterdokskade 143, 1011 DL Amsterdam', 'Amsterdam', 'Europe/Amsterdam', 21, 1050, 150, 'published'),
  (43, 'concert', 'organizer@tessera.test', 'Organ & Voices at the Oude Kerk',
   'Sweelinck and Bach on the great organ of Amsterdam''s oldest building, with a chamber choir.',
   'Jan Pieterszoon Sweelinck was organist of the Oude Kerk for 44 years. His music returns to the church tonight, alongside Bach motets sung by the Amsterdam Chamber Choir.\n\nThe church is unheated in winter: dress warmly.',
   'Oude Kerk', 'Oudekerksplein 23, 1012 GX Amsterdam', 'Amsterdam', 'Europe/Amsterdam', -14, 1140, 75, 'published'),
  (44, 'workshop', 'organizer3@tessera.test', 'Cheese Tasting: From Gouda to Leyden',
   'Taste eight Dutch farmhouse cheeses, young to very old, with wine and beer pairings.',
   'Cheesemonger Anouk Visser introduces eight cheeses from small Dutch farms, from a young Gouda to a three-year-old Boerenkaas and a cumin-spiced Leyden, with the stories of the farms that make them.\n\nPaired with two wines and a local beer.',
   'De Kaaskamer', 'Runstraat 7, 1016 GJ Amsterdam', 'Amsterdam', 'Europe/Amsterdam', -33, 960, 120, 'published'),
  (45, 'talk', 'organizer3@tessera.test', 'Rembrandt''s Neighbours: Life on the Jodenbreestraat',
   'Who lived next door to Rembrandt? A historian reconstructs the street from archives and etchings.',
   'Rembrandt lived on the Jodenbreestraat from 1639 until his bankruptcy in 1656, among merchants, Sephardic families and fellow painters. Historian Dr. Sara Mendes uses notarial records, inventories and Rembrandt''s own etchings to bring the street back to life.\n\nIncludes entry to the museum.',
   'Museum Het Rembrandthuis', 'Jodenbreestraat 4, 1011 NK Amsterdam', 'Amsterdam', 'Europe/Amsterdam', -60, 1020, 90, 'published'),
  (46, 'concert', 'organizer@tessera.test', 'Dvořák String Quartets at the Convent',
   'The ''American'' quartet and the rarely played Quartet in A-flat, in the Gothic convent of St Agnes.',
   'Dvořák wrote his ''American'' quartet in a few days in Iowa in 1893, homesick and happy at once. The Vltava Quartet pairs it with his last quartet, Op. 105, finished after he came home to Bohemia.\n\nThe Convent of St Agnes is a 13th-century cloister that now houses the National Gallery''s medieval art.',
   'Convent of St Agnes of Bohemia', 'U Milosrdných 17, 110 00 Praha 1', 'Prague', 'Europe/Prague', 13, 1080, 90, 'published'),
  (47, 'talk', 'organizer3@tessera.test', 'Kafka''s Prague: Streets, Offices and Cafés',
   'A literary evening on the city Kafka could never leave, in the café where he met his friends.',
   'Kafka called Prague ''a little mother with claws''. Literary scholar Dr. Pavel Novák follows him from the Old Town flats of his childhood to the insurance office where he wrote reports on industrial accidents, and to the Café Louvre, where he talked philosophy with Max Brod.\n\nIn English. Coffee and cake included.',
   'Café Louvre', 'Národní 22, 110 00 Praha 1', 'Prague', 'Europe/Prague', 24, 1050, 90, 'published'),
  (48, 'workshop', 'organizer3@tessera.test', 'Bohemian Glass Engraving Taster',
   'Engrave your own glass with a master engraver, using the copper-wheel technique Bohemia is famous for.',
   'Bohemian glass has been engraved with copper wheels since the 17th century. Master engraver Jiří Kučera shows you the basics, and you engrave a simple design on a glass you take home.\n\nSmall group of eight; no experience needed.',
   'Sklářská dílna Karlín', 'Křižíkova 58, 186 00 Praha 8', 'Prague', 'Europe/Prague', 17, 540, 180, 'published'),
  (49, 'theatre', 'organizer2@tessera.test', 'Black Light Theatre: The Alchemist''s Dream',
   'Prague''s famous black light theatre: puppets, dance and illusion without words.',
   'In the dark, only what glows can be seen: floating objects, dancers who appear and vanish, and the alchemist Edward Kelley chasing the secret of gold through Rudolf II''s Prague.\n\nNo words, so it suits every language and all ages from six. About 80 minutes.',
   'Divadlo Ta Fantastika', 'Karlova 8, 110 00 Praha 1', 'Prague', 'Europe/Prague', 6, 1140, 80, 'published'),
  (50, 'meetup', 'organizer2@tessera.test', 'Prague Board Game Night',
   'Hundreds of games, friendly explainers and good Czech beer. Come alone or bring friends.',
   'Our board game library travels to the brewery hall every other week. Explainers teach new games at each table; newcomers are mixed with regulars.\n\nThe ticket covers the table; food and drinks from the brewery.',
   'Vinohradský pivovar', 'Korunní 106, 101 00 Praha 10', 'Prague', 'Europe/Prague', 2, 1020, 240, 'published'),
  (51, 'festival', 'organizer@tessera.test', 'Vltava Folk Days',
   'Folk, bluegrass and Balkan brass for three days at the Prague Exhibition Grounds.',
   'Vltava Folk Days brings together Czech folk, Moravian cimbalom bands, bluegrass and Balkan brass on three stages at Výstaviště.\n\nWorkshops for dancers and musicians in the mornings; concerts from the afternoon until midnight. Children under 12 free with an adult.',
   'Výstaviště Praha', 'Výstaviště 67, 170 00 Praha 7', 'Prague', 'Europe/Prague', 100, 660, 3600, 'published'),
  (52, 'concert', 'organizer@tessera.test', 'Organ Night at St. Nicholas',
   'Bach, Buxtehude and Czech baroque composers on the great organ of St. Nicholas in the Lesser Town.',
   'The Church of St. Nicholas is the high point of Prague baroque, and its 4,000-pipe organ was played by Mozart in 1787. Organist Tereza Marková plays Bach''s Toccata and Fugue in D minor, Buxtehude and music by Czech baroque masters Černohorský and Seger.\n\nAbout one hour.',
   'Kostel sv. Mikuláše', 'Malostranské náměstí, 118 00 Praha 1', 'Prague', 'Europe/Prague', -21, 1020, 60, 'published'),
  (53, 'talk', 'organizer3@tessera.test', 'Beer, Monks and Microbes: A History of Czech Brewing',
   'From monastery cellars to Pilsner: a brewing historian explains a thousand years of Czech beer, with tasting.',
   'Czechs drink more beer per person than anyone. Brewing historian Martin Dvořák explains why, from the monks of Břevnov to the invention of Pilsner in 1842, and what yeast has to do with it.\n\nIncludes a tasting of four beers brewed on site.',
   'Strahov Monastery Brewery', 'Strahovské nádvoří 301, 118 00 Praha 1', 'Prague', 'Europe/Prague', -48, 960, 120, 'published'),
  (54, 'meetup', 'organizer2@tessera.test', 'Open-Air Cinema on Střelecký Island',
   'Classic Czech New Wave films on the island in the Vltava: cancelled because of flood works.',
   'We planned to show Miloš Forman and Věra Chytilová classics with English subtitles on Střelecký Island.\n\nThe screenings are cancelled: the island is closed for flood-protection works. All tickets have been refunded.',
   'Střelecký ostrov', 'Střelecký ostrov, 110 00 Praha 1', 'Prague', 'Europe/Prague', 40, 1170, 150, 'cancelled'),
  (55, 'concert', 'organizer@tessera.test', 'Flamenco Nights: Compás y Duende',
   'Guitar, cante and dance from Seville and Jerez in the small hall of the Palau de la Música.',
   'Singer Rocío Vargas, guitarist Paco Heredia and dancer Alba Moreno bring the flamenco of Jerez to Barcelona: soleares, bulerías and alegrías, with the percussion of the hands and feet.\n\nVIP tickets include a glass of cava and seats in the first rows.',
   'Petit Palau, Palau de la Música Catalana', 'Carrer del Palau de la Música 4-6, 08003 Barcelona', 'Barcelona', 'Europe/Madrid', 8, 1200, 90, 'published'),
  (56, 'talk', 'organizer3@tessera.test', 'Gaudí''s Engineering: Catenaries, Models and Mirrors',
   'How Gaudí designed the Sagrada Família upside down with strings and weights, explained by a structural engineer.',
   'Gaudí found the shape of his arches by hanging chains and small bags of shot from the ceiling and photographing them upside down in a mirror. Structural engineer Dr. Núria Puig shows how those hanging models work, and how today''s architects use the same idea in software.\n\nWith a working model on stage. In English and Catalan.',
   'CaixaForum Barcelona', 'Avinguda de Francesc Ferrer i Guàrdia 6-8, 08038 Barcelona', 'Barcelona', 'Europe/Madrid', 27, 1080, 90, 'published'),
  (57, 'workshop', 'organizer3@tessera.test', 'Paella Cooking Class with Market Visit',
   'Shop at La Boqueria with a chef, then cook a seafood paella and eat it together.',
   'We start at La Boqueria market, choosing fish, shellfish and vegetables with chef Jordi Ferrer. Back in the kitchen you make sofrito, stock and a seafood paella, with tapas and sangria while it cooks.\n\nVegetarian option available; please say so when you book.',
   'Cuina Oberta', 'Carrer de Verdi 41, 08012 Barcelona', 'Barcelona', 'Europe/Madrid', 11, 570, 240, 'published'),
  (58, 'festival', 'organizer@tessera.test', 'Barceloneta Beach Sound Festival',
   'Two days of music on the beach: indie and electronic by day, DJs until late.',
   'Two stages on the sand at Barceloneta: indie and Latin bands in the afternoon, electronic sets as the sun goes down over the city.\n\nLine-up announced in spring. The beach stays public; the festival area is fenced and has its own bars and toilets.',
   'Platja de la Barceloneta', 'Passeig Marítim de la Barceloneta, 08003 Barcelona', 'Barcelona', 'Europe/Madrid', 130, 840, 2160, 'published'),
  (59, 'theatre', 'organizer2@tessera.test', 'Bodas de Sangre',
   'Lorca''s tragedy of a wedding and a flight on horseback, in Spanish with Catalan and English surtitles.',
   'A bride runs away on her wedding day with the man she has always loved. Two families, a knife and the moon follow them into the forest.\n\nThis production at the Lliure uses flamenco song and a live guitarist. In Spanish with surtitles; about 100 minutes.',
   'Teatre Lliure de Gràcia', 'Carrer de Montseny 47, 08012 Barcelona', 'Barcelona', 'Europe/Madrid', 35, 1140, 100, 'published'),
  (60, 'meetup', 'organizer2@tessera.test', 'Barcelona Data & Coffee',
   'An informal morning for data scientists, analysts and engineers: coffee, a short talk, lots of conversation.',
   'Once a month Barcelona''s data people meet for coffee at Impact Hub. One 15-minute talk, then conversation.\n\nThis month: ''Forecasting tourist numbers in a city that wants fewer of them''. The ticket includes coffee and croissants.',
   'Impact Hub Barcelona', 'Carrer de Pujades 350, 08019 Barcelona', 'Barcelona', 'Europe/Madrid', 4, 510, 120, 'published'),
  (61, 'concert', 'organizer@tessera.test', 'Guitarra Clàssica: Albéniz and Tárrega',
   'Spanish guitar classics in the Gothic basilica of Santa Maria del Pi.',
   'Guitarist Laia Soler plays the Spanish repertoire: Tárrega''s Recuerdos de la Alhambra, Albéniz''s Asturias and Granados''s Spanish Dances, in the resonant nave of Santa Maria del Pi.\n\nAbout 70 minutes.',
   'Basílica de Santa Maria del Pi', 'Plaça del Pi 7, 08002 Barcelona', 'Barcelona', 'Europe/Madrid', -5, 1110, 70, 'published'),
  (62, 'theatre', 'organizer2@tessera.test', 'Improv Comedy in English: Tapas & Laughs',
   'An English-language improv show, with tapas, in a tiny Gràcia theatre.',
   'Five improvisers, zero scripts and your suggestions. Each ticket includes a plate of tapas and a drink.\n\nAbout 90 minutes.',
   'Sala Fénix', 'Carrer de Sant Lluís 64, 08012 Barcelona', 'Barcelona', 'Europe/Madrid', -16, 1200, 90, 'published'),
  (63, 'workshop', 'organizer3@tessera.test', 'Modernisme by Night: Architecture Cycling Tour',
   'Draft: an evening cycle tour of the Eixample''s modernista buildings.',
   'Draft: route and bike rental partner still to be confirmed.\n\nPlanned stops: Casa Milà, Casa Batlló, Hospital de Sant Pau.',
   'Meeting point: Plaça de Catalunya', 'Plaça de Catalunya, 08002 Barcelona', 'Barcelona', 'Europe/Madrid', 110, 1080, 150, 'draft');

UPDATE demo_event SET starts_at =
  TIMESTAMP(UTC_DATE()) + INTERVAL day_offset DAY + INTERVAL start_min MINUTE;

INSERT INTO events (organizer_id, title, summary, description, venue, address, city,
  timezone, starts_at, ends_at, status, created_at, updated_at)
SELECT u.id, d.title, d.summary, d.description, d.venue, d.address, d.city, d.timezone,
  d.starts_at, d.starts_at + INTERVAL d.duration_min MINUTE, d.status,
  LEAST(d.starts_at, UTC_TIMESTAMP()) - INTERVAL (60 + d.k % 30) DAY,
  IF(d.status = 'cancelled', UTC_TIMESTAMP() - INTERVAL 3 DAY,
     LEAST(d.starts_at, UTC_TIMESTAMP()) - INTERVAL (50 + d.k % 30) DAY)
FROM demo_event d
JOIN users u ON u.email = d.organizer
ORDER BY d.k;

UPDATE demo_event d JOIN events e ON e.title = d.title SET d.event_id = e.id;

-- ------------------------------------------------------------------ ticket types

-- orders: how many orders of 1-3 tickets to make; sold_out: the quota is
-- then set to exactly what was sold.
CREATE TEMPORARY TABLE demo_ticket_type (
  k              INT NOT NULL PRIMARY KEY,
  event_k        INT NOT NULL,
  sort_order     INT NOT NULL,
  name           VARCHAR(100) NOT NULL,
  description    VARCHAR(300) NOT NULL,
  price_cents    INT UNSIGNED NOT NULL,
  quota          INT UNSIGNED NOT NULL,
  orders         INT NOT NULL,
  sold_out       TINYINT NOT NULL,
  ticket_type_id BIGINT UNSIGNED NULL,
  sold           INT UNSIGNED NULL
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_ticket_type (k, event_k, sort_order, name, description, price_cents,
  quota, orders, sold_out) VALUES
  (1, 1, 1, 'Standard', 'Unreserved seating', 2400, 300, 13, 0),
  (2, 1, 2, 'Reduced', 'Students, seniors and holders of a disability card; bring proof', 1600, 80, 6, 0),
  (3, 2, 1, 'Standard', '', 1200, 400, 13, 0),
  (4, 2, 2, 'Student', 'Valid student ID required at the door', 600, 100, 6, 0),
  (5, 3, 1, 'Workshop seat', 'All materials included', 8500, 12, 6, 1),
  (6, 4, 1, 'Day pass', 'One day and the night after', 5900, 2000, 6, 0),
  (7, 4, 2, 'Weekend pass', 'Both days', 9900, 1500, 13, 0),
  (8, 4, 3, 'VIP weekend', 'Separate entrance, lounge, drink vouchers', 18900, 100, 6, 0),
  (9, 5, 1, 'Standard', '', 2800, 180, 13, 0),
  (10, 5, 2, 'Reduced', 'Students, seniors and holders of a disability card; bring proof', 1800, 40, 6, 0),
  (11, 6, 1, 'Free admission', 'Please cancel if you cannot come', 0, 120, 13, 0),
  (12, 7, 1, 'Standard', 'Standing', 2900, 350, 6, 0),
  (13, 7, 2, 'Balcony seat', 'Numbered seats on the balcony', 4500, 30, 15, 1),
  (14, 8, 1, 'Standard', '', 1000, 150, 6, 0),
  (15, 9, 1, 'Standard', '', 500, 100, 13, 0),
  (16, 10, 1, 'Standard', 'Seat at the bar tables, one drink included', 3000, 60, 6, 0),
  (17, 10, 2, 'Dinner and fado', 'Three-course dinner at the front tables from 20:00', 7500, 20, 10, 1),
  (18, 11, 1, 'Standard', 'Includes museum entry after the talk', 800, 120, 6, 0),
  (19, 12, 1, 'Day ticket', 'From 16:00 until closing', 4500, 1500, 13, 0),
  (20, 12, 2, 'Weekend ticket', 'Both days', 8000, 1200, 6, 0),
  (21, 12, 3, 'VIP weekend', 'Rooftop access and fast-lane entrance', 15000, 80, 13, 0),
  (22, 13, 1, 'Workshop seat', 'Ingredients and a box of tarts included', 5500, 14, 7, 1),
  (23, 14, 1, 'Plateia', 'Stalls', 2200, 300, 13, 0),
  (24, 14, 2, 'Balcão', 'Balcony', 1500, 150, 6, 0),
  (25, 15, 1, 'Breakfast', 'Coffee and a pastry', 500, 50, 13, 0),
  (26, 16, 1, 'Standard', '', 1500, 200, 6, 0),
  (27, 17, 1, 'Walk', 'Group of at most 15', 3500, 15, 8, 1),
  (28, 18, 1, 'Festival pass', 'Three nights', 9500, 900, 6, 0),
  (29, 18, 2, 'Single night', '', 4000, 600, 13, 0),
  (30, 19, 1, 'Standard', 'Unnumbered seats', 3500, 200, 6, 0),
  (31, 19, 2, 'Premium', 'First four rows', 5500, 40, 13, 0),
  (32, 20, 1, 'Standard', '', 1200, 140, 6, 0),
  (33, 21, 1, 'Standard', '', 3200, 280, 13, 0),
  (34, 21, 2, 'Reduced', 'Under 26 and over 65', 2000, 80, 6, 0),
  (35, 22, 1, 'Tasting', 'Six wines, cheese and bread', 4800, 20, 6, 0),
  (36, 23, 1, 'Entry with a drink', '', 500, 150, 6, 0),
  (37, 24, 1, 'Festival pass', 'All three nights', 4000, 600, 13, 0),
  (38, 24, 2, 'VIP pass', 'Barge terrace and reserved area', 9000, 50, 6, 0),
  (39, 25, 1, 'Standard', '', 2500, 120, 60, 1),
  (40, 26, 1, 'Standard', 'Includes a jar of starter', 1000, 160, 6, 0),
  (41, 27, 1, 'Standard', '', 800, 200, 0, 0),
  (42, 28, 1, 'Standard', '', 3800, 250, 6, 0),
  (43, 28, 2, 'Reduced', 'Students, seniors and holders of a disability card; bring proof', 2500, 60, 13, 0),
  (44, 29, 1, 'Standard', 'Includes museum entry', 1400, 80, 6, 0),
  (45, 30, 1, 'Workshop seat', 'Ingredients included', 7900, 12, 6, 1),
  (46, 31, 1, 'Parterre', 'Stalls', 4500, 300, 6, 0),
  (47, 31, 2, 'Balkon', 'Balcony', 2900, 150, 13, 0),
  (48, 32, 1, 'Free admission', '', 0, 40, 6, 0),
  (49, 33, 1, 'Day pass', '', 4900, 3000, 13, 0),
  (50, 33, 2, 'Weekend pass', 'Includes public transport', 8900, 2000, 6, 0),
  (51, 33, 3, 'VIP weekend', 'Backstage lounge', 17900, 100, 10, 0),
  (52, 34, 1, 'Standard', '', 3200, 180, 6, 0),
  (53, 35, 1, 'Standard', '', 3600, 250, 13, 0),
  (54, 35, 2, 'Reduced', 'Students, seniors and holders of a disability card; bring proof', 2200, 50, 6, 0),
  (55, 36, 1, 'Single', '', 3500, 40, 0, 0),
  (56, 36, 2, 'Couple', '', 6000, 20, 0, 0),
  (57, 37, 1, 'Standard', '', 2700, 350, 13, 0),
  (58, 37, 2, 'Reduced', 'CJP, students and over 65', 1900, 80, 6, 0),
  (59, 38, 1, 'Standard', '', 900, 300, 13, 0),
  (60, 39, 1, 'Workshop seat', 'Tools and common parts included', 3500, 10, 3, 0),
  (61, 40, 1, 'Weekend pass', '', 7500, 2500, 0, 0),
  (62, 41, 1, 'Standard', '', 2600, 300, 6, 0),
  (63, 41, 2, 'Reduced', 'Students with ID', 1800, 60, 13, 0),
  (64, 42, 1, 'Free admission', '', 0, 100, 6, 0),
  (65, 43, 1, 'Standard', '', 2200, 400, 13, 0),
  (66, 44, 1, 'Tasting', 'Eight cheeses, three drinks', 3900, 20, 10, 1),
  (67, 45, 1, 'Standard', 'Includes museum entry', 1500, 90, 13, 0),
  (68, 46, 1, 'Standard', '', 2800, 150, 6, 0),
  (69, 46, 2, 'Reduced', 'Students, seniors and holders of a disability card; bring proof', 1800, 50, 13, 0),
  (70, 47, 1, 'Standard', 'Coffee and cake included', 1000, 70, 6, 0),
  (71, 48, 1, 'Workshop seat', 'Glass and tools included', 6500, 8, 4, 1),
  (72, 49, 1, 'Standard', '', 3000, 200, 6, 0),
  (73, 49, 2, 'Child', 'Under 12', 1500, 50, 12, 0),
  (74, 50, 1, 'Table seat', '', 300, 80, 6, 0),
  (75, 51, 1, 'Day pass', '', 2900, 2500, 13, 0),
  (76, 51, 2, 'Festival pass', 'All three days', 5900, 1500, 6, 0),
  (77, 52, 1, 'Standard', '', 2400, 300, 13, 0),
  (78, 53, 1, 'Standard', 'Includes four tasting glasses', 1600, 60, 6, 0),
  (79, 54, 1, 'Standard', '', 800, 300, 13, 0),
  (80, 55, 1, 'Standard', '', 3500, 250, 6, 0),
  (81, 55, 2, 'VIP', 'First rows and a glass of cava', 7000, 30, 15, 1),
  (82, 56, 1, 'Standard', '', 800, 250, 6, 0),
  (83, 57, 1, 'Class', 'Market visit, cooking, lunch and drinks', 6900, 16, 5, 0),
  (84, 58, 1, 'Day pass', '', 5500, 2500, 6, 0),
  (85, 58, 2, 'Weekend pass', '', 9500, 1500, 13, 0),
  (86, 58, 3, 'VIP weekend', 'Shaded deck and bar', 18000, 120, 6, 0),
  (87, 59, 1, 'Standard', '', 2600, 220, 13, 0),
  (88, 59, 2, 'Reduced', 'Under 30 and over 65', 1600, 60, 6, 0),
  (89, 60, 1, 'Coffee ticket', '', 500, 60, 13, 0),
  (90, 61, 1, 'Standard', '', 2200, 250, 6, 0),
  (91, 62, 1, 'Standard', 'Tapas and a drink included', 1500, 80, 40, 1),
  (92, 63, 1, 'Tour with bike', '', 3500, 15, 0, 0);

INSERT INTO ticket_types (event_id, name, description, price_cents, currency, quota,
  sold, held, sales_start, sales_end, sort_order)
SELECT e.id, t.name, t.description, t.price_cents, 'EUR', t.quota, 0, 0,
  e.created_at, e.starts_at, t.sort_order
FROM demo_ticket_type t
JOIN demo_event d ON d.k = t.event_k
JOIN events e ON e.id = d.event_id
ORDER BY t.k;

UPDATE demo_ticket_type t
JOIN demo_event d ON d.k = t.event_k
JOIN ticket_types tt ON tt.event_id = d.event_id AND tt.sort_order = t.sort_order
SET t.ticket_type_id = tt.id;

-- ------------------------------------------------------------------ orders and tickets

-- Paid orders; the cancelled events' orders were refunded (their tickets
-- stay, void, and do not count as sold).
CREATE TEMPORARY TABLE demo_order (
  n              INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ticket_type_id BIGINT UNSIGNED NOT NULL,
  event_id       BIGINT UNSIGNED NOT NULL,
  buyer_id       BIGINT UNSIGNED NOT NULL,
  qty            INT NOT NULL,
  price_cents    INT UNSIGNED NOT NULL,
  status         VARCHAR(20) NOT NULL,
  created_at     DATETIME NOT NULL,
  code           CHAR(16) NULL,
  order_id       BIGINT UNSIGNED NULL
);

INSERT INTO demo_order (ticket_type_id, event_id, buyer_id, qty, price_cents, status, created_at)
SELECT t.ticket_type_id, e.id, b.user_id,
  1 + CRC32(CONCAT('qty:', t.k, ':', s.seq)) % 3,
  t.price_cents,
  CASE
    WHEN e.status = 'cancelled' THEN 'refunded'
    -- A few of upcoming events in the other states, to click through.
    WHEN e.ends_at > UTC_TIMESTAMP() AND s.seq % 11 = 3 THEN 'held'
    WHEN e.ends_at > UTC_TIMESTAMP() AND s.seq % 11 = 5 THEN 'expired'
    WHEN e.ends_at > UTC_TIMESTAMP() AND s.seq % 11 = 7 THEN 'cancelled'
    -- Offline payments: some to record, some paid and cancelled, with a
    -- refund for the organizer to pay back.
    WHEN e.ends_at > UTC_TIMESTAMP() AND s.seq % 11 = 9 AND t.price_cents > 0
      THEN 'pending_payment'
    WHEN e.ends_at > UTC_TIMESTAMP() AND s.seq % 13 = 10 AND t.price_cents > 0
      THEN 'refund_due'
    ELSE 'paid'
  END,
  GREATEST(e.created_at + INTERVAL 1 DAY,
    LEAST(UTC_TIMESTAMP() - INTERVAL 1 HOUR,
      e.starts_at - INTERVAL (1 + (t.k * 13 + s.seq * 29) % 50) DAY
                  + INTERVAL ((t.k * 37 + s.seq * 53) % 1440) MINUTE))
FROM demo_ticket_type t
JOIN demo_event d ON d.k = t.event_k
JOIN events e ON e.id = d.event_id
JOIN seq_1_to_100 s ON s.seq <= t.orders
JOIN demo_buyer b ON b.n = (t.k * 7 + s.seq * 5) % @buyers
ORDER BY t.k, s.seq;

-- Order codes: 16 characters of [A-Z2-9] from an MD5 of the row number.
UPDATE demo_order o SET o.code = (
  SELECT GROUP_CONCAT(SUBSTRING(@code_alphabet,
      1 + CONV(SUBSTRING(MD5(CONCAT('tessera-demo-order:', o.n)), 1 + 2 * c.seq, 2), 16, 10) % 32, 1)
    ORDER BY c.seq SEPARATOR '')
  FROM seq_0_to_15 c);

INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, provider,
  provider_ref, hold_expires_at, created_at, paid_at)
SELECT o.code, o.event_id, o.buyer_id, o.status, o.qty * o.price_cents, 'EUR',
  CASE WHEN o.status IN ('pending_payment', 'refund_due') THEN 'offline'
    WHEN o.status IN ('paid', 'refunded') THEN IF(o.price_cents = 0, 'free', 'demo')
  END,
  IF(o.status IN ('paid', 'refunded') AND o.price_cents > 0,
     CONCAT('demo_', LOWER(o.code)), NULL),
  -- Demo holds last a day, so they can still be checked out after set-up;
  -- offline payments are due within the event's days to pay.
  CASE o.status WHEN 'held' THEN UTC_TIMESTAMP() + INTERVAL 1 DAY
    WHEN 'pending_payment' THEN LEAST(UTC_TIMESTAMP() + INTERVAL (3 + o.n % 5) DAY,
      (SELECT e.ends_at FROM events e WHERE e.id = o.event_id))
  END,
  IF(o.status = 'held', UTC_TIMESTAMP() - INTERVAL 5 MINUTE, o.created_at),
  IF(o.status IN ('paid', 'refunded', 'refund_due'), o.created_at + INTERVAL 2 MINUTE, NULL)
FROM demo_order o
ORDER BY o.n;

UPDATE demo_order d JOIN orders o ON o.code = d.code SET d.order_id = o.id;

-- One ticket per seat: the buyer's own name on the first, a companion's on
-- the others. Codes: 24 characters of [A-Z2-9] from a SHA-256. Most
-- tickets of past events were checked in.
INSERT INTO tickets (order_id, ticket_type_id, attendee_name, code, checked_in_at)
SELECT d.order_id, d.ticket_type_id,
  IF(s.seq = 1, u.display_name,
     CONCAT(ELT(1 + (d.n * 3 + s.seq * 7) % 20,
         'Anna', 'Ben', 'Chiara', 'David', 'Emma', 'Filip', 'Hanna', 'Ivan', 'Julia', 'Karim',
         'Lea', 'Marco', 'Nora', 'Oskar', 'Paula', 'Rafael', 'Sofia', 'Tomás', 'Zoe', 'Mateo'),
       ' ',
       ELT(1 + (d.n * 11 + s.seq * 5) % 20,
         'Schmidt', 'Rossi', 'Dubois', 'Novak', 'Costa', 'Jansen', 'Horvat', 'Kowalski',
         'Müller', 'Santos', 'Lambert', 'Berg', 'Petrović', 'Nielsen', 'Ortega', 'Wagner',
         'Fischer', 'Moreau', 'Silva', 'Dvořák'))),
  (SELECT GROUP_CONCAT(SUBSTRING(@code_alphabet,
       1 + CONV(SUBSTRING(SHA2(CONCAT('tessera-demo-ticket:', d.n, ':', s.seq), 256),
                1 + 2 * c.seq, 2), 16, 10) % 32, 1)
     ORDER BY c.seq SEPARATOR '')
   FROM seq_0_to_23 c),
  IF(e.ends_at < UTC_TIMESTAMP() AND d.status = 'paid' AND (d.n + s.seq) % 10 <> 0,
     e.starts_at - INTERVAL ((d.n * 7 + s.seq) % 40) MINUTE, NULL)
FROM demo_order d
JOIN seq_1_to_3 s ON s.seq <= d.qty
JOIN users u ON u.id = d.buyer_id
JOIN events e ON e.id = d.event_id
ORDER BY d.n, s.seq;

-- ------------------------------------------------------------------ reviews

-- About three in five buyers of a past published event reviewed it, once.
INSERT INTO reviews (event_id, author_id, rating, comment, created_at)
SELECT r.event_id, r.author_id, r.rating,
  CASE
    WHEN r.rating <= 2 THEN ELT(1 + r.h % 4,
      'Disappointing. We could hardly see or hear anything from where we were.',
      'Started forty minutes late and nobody explained why. Not what I paid for.',
      'Too crowded and too short for the price.',
      'The description promised more than we got, sadly.')
    WHEN r.rating = 3 THEN ELT(1 + r.h % 4,
      'Good in parts, but the second half dragged.',
      'Nice venue, decent evening. The queue at the entrance was long.',
      'Fine, though I expected a bit more for the price.',
      'Interesting, but the room was too warm and the seats uncomfortable.')
    WHEN r.kind = 'concert' THEN ELT(1 + r.h % 6,
      'Wonderful evening. The sound in that hall is something else.',
      'Beautifully played, and the encore alone was worth the ticket.',
      'I came on a whim and left with goosebumps. Will be back.',
      'Great atmosphere, friendly staff and musicians at the top of their game.',
      'The quiet passages were spellbinding; the whole room held its breath.',
      'Perfect length, perfect setting. Highly recommended.')
    WHEN r.kind = 'talk' THEN ELT(1 + r.h % 5,
      'Clear, funny and full of things I did not know. The questions afterwards were great too.',
      'A brilliant speaker. I have been telling friends about it all week.',
      'Well researched, with pictures I had never seen. Worth every cent.',
      'Made me look at my own neighbourhood differently.',
      'Excellent talk; I wish it had been twice as long.')
    WHEN r.kind = 'workshop' THEN ELT(1 + r.h % 5,
      'Patient teacher, small group, and I actually learned how to do it myself.',
      'Hands-on from the first minute. I went home proud of what I made.',
      'Well organised, everything provided, lovely people. Book it.',
      'Great value: expert tips you would never find in a video.',
      'Relaxed and fun, and the result was better than I expected.')
    WHEN r.kind = 'theatre' THEN ELT(1 + r.h % 5,
      'Superb cast. Funny and heartbreaking in the same scene.',
      'A fresh production that still respects the text. Loved it.',
      'The ensemble was fantastic and the staging very clever.',
      'I laughed more than I have in months.',
      'Gripping from start to finish; the time flew by.')
    ELSE ELT(1 + r.h % 4,
      'Friendly crowd and well organised. Met some great people.',
      'Exactly what I hoped for. See you at the next one!',
      'Good mix of people and a relaxed atmosphere.',
      'Well run, on time, and fun.')
  END,
  LEAST(UTC_TIMESTAMP() - INTERVAL 1 HOUR, r.ends_at + INTERVAL (2 + r.h % 70) HOUR)
FROM (
  SELECT p.event_id, p.buyer_id AS author_id, e.ends_at, d.kind,
    CRC32(CONCAT('comment:', p.event_id, ':', p.buyer_id)) AS h,
    ELT(1 + CRC32(CONCAT('rating:', p.event_id, ':', p.buyer_id)) % 10, 5, 4, 5, 3, 4, 5, 4, 2, 5, 4) AS rating
  FROM (SELECT DISTINCT event_id, buyer_id FROM demo_order WHERE status = 'paid') p
  JOIN events e ON e.id = p.event_id
  JOIN demo_event d ON d.event_id = e.id
  WHERE e.status = 'published' AND e.ends_at < UTC_TIMESTAMP()
    AND CRC32(CONCAT('review:', p.event_id, ':', p.buyer_id)) % 5 < 3
) r
ORDER BY r.event_id, r.author_id;

-- The organizer answered about one review in six, a day or so later.
UPDATE reviews r SET
  r.reply = IF(r.rating <= 3,
    ELT(1 + CRC32(CONCAT('reply:', r.id)) % 3,
      'Thank you for telling us. We have passed this on to the venue and will do better next time.',
      'Sorry it fell short for you. Write to us and we will make it up to you at the next one.',
      'Fair points, thank you. The next edition starts on time and has more seats near the front.'),
    ELT(1 + CRC32(CONCAT('reply:', r.id)) % 3,
      'Thank you so much! See you at the next one.',
      'We are glad you enjoyed it. Thanks for coming!',
      'Thank you for the kind words; the artists were delighted to read them.')),
  r.replied_at = LEAST(UTC_TIMESTAMP(), r.created_at + INTERVAL 26 HOUR)
WHERE CRC32(CONCAT('reply:', r.event_id, ':', r.author_id)) % 6 = 0;

-- Two reports: one review turned abusive, reported by two people and
-- hidden by the site admin (it leaves the average); another reported once
-- and waiting in the moderation queue.
CREATE TEMPORARY TABLE demo_reported AS
SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.id) AS n FROM reviews r
WHERE r.rating <= 2 AND r.reply IS NULL ORDER BY r.id LIMIT 2;
UPDATE reviews r JOIN demo_reported d ON d.id = r.id AND d.n = 1
SET r.comment = 'Total rip-off. The people who run this are crooks and idiots, do not give them a cent.';
INSERT INTO review_reports (review_id, reporter_id, reason, created_at)
SELECT d.id, u.id, IF(u.email = 'bob@tessera.test', 'Insults, not a review.', ''),
  UTC_TIMESTAMP() - INTERVAL 2 DAY
FROM demo_reported d JOIN users u ON u.email IN ('bob@tessera.test', 'carla@tessera.test')
JOIN reviews r ON r.id = d.id
WHERE d.n = 1 AND u.id <> r.author_id;
INSERT INTO review_reports (review_id, reporter_id, reason, created_at)
SELECT d.id, u.id, 'Not sure this person was even there.', UTC_TIMESTAMP() - INTERVAL 5 HOUR
FROM demo_reported d JOIN users u ON u.email = 'dmitri@tessera.test'
JOIN reviews r ON r.id = d.id
WHERE d.n = 2 AND u.id <> r.author_id;
UPDATE reviews r SET r.reports = (SELECT COUNT(*) FROM review_reports p WHERE p.review_id = r.id);
UPDATE reviews r JOIN demo_reported d ON d.id = r.id AND d.n = 1
SET r.hidden_at = UTC_TIMESTAMP() - INTERVAL 1 DAY,
  r.hidden_by = (SELECT id FROM users WHERE email = 'admin@tessera.test');
INSERT INTO audit_log (at, user_id, action, target, ip)
SELECT UTC_TIMESTAMP() - INTERVAL 1 DAY, (SELECT id FROM users WHERE email = 'admin@tessera.test'),
  'review.hide', CONCAT('review ', d.id), '127.0.0.1'
FROM demo_reported d WHERE d.n = 1;
DROP TEMPORARY TABLE demo_reported;

-- Each order's lines (one per ticket type) and its history.
INSERT INTO order_lines (order_id, kind, ticket_type_id, description, quantity,
  unit_price_cents)
SELECT d.order_id, 'ticket', d.ticket_type_id, tt.name, d.qty, d.price_cents
FROM demo_order d JOIN ticket_types tt ON tt.id = d.ticket_type_id
ORDER BY d.n;

INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at, NULL, 'held', '' FROM demo_order d ORDER BY d.n;
INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at + INTERVAL 2 MINUTE, 'held', 'paid', ''
FROM demo_order d WHERE d.status IN ('paid', 'refunded', 'refund_due') ORDER BY d.n;
INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at + INTERVAL 3 DAY, 'paid', 'refunded',
  'the event was cancelled'
FROM demo_order d WHERE d.status = 'refunded' ORDER BY d.n;
INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at + INTERVAL 15 MINUTE, 'held', d.status,
  IF(d.status = 'expired', 'the hold ran out', 'cancelled by the buyer')
FROM demo_order d WHERE d.status IN ('expired', 'cancelled') ORDER BY d.n;
INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at + INTERVAL 2 MINUTE, 'held', 'pending_payment',
  'to be paid offline'
FROM demo_order d WHERE d.status = 'pending_payment' ORDER BY d.n;
INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT d.order_id, d.created_at + INTERVAL 1 DAY, 'paid', 'refund_due',
  'cancelled by the buyer; the organizer owes the refund'
FROM demo_order d WHERE d.status = 'refund_due' ORDER BY d.n;

-- ------------------------------------------------------------------ counters

UPDATE demo_ticket_type t SET t.sold = (
  SELECT COUNT(*) FROM tickets k JOIN orders o ON o.id = k.order_id
  WHERE k.ticket_type_id = t.ticket_type_id AND o.status = 'paid');

CREATE TEMPORARY TABLE demo_held AS
SELECT k.ticket_type_id, COUNT(*) AS held FROM tickets k
JOIN orders o ON o.id = k.order_id WHERE o.status IN ('held', 'pending_payment')
GROUP BY k.ticket_type_id;

-- One statement, so the capacity check sees the three together.
UPDATE ticket_types tt JOIN demo_ticket_type t ON t.ticket_type_id = tt.id
LEFT JOIN demo_held h ON h.ticket_type_id = tt.id
SET tt.quota = IF(t.sold_out = 1, t.sold + COALESCE(h.held, 0),
    GREATEST(tt.quota, t.sold + COALESCE(h.held, 0))),
  tt.sold = t.sold, tt.held = COALESCE(h.held, 0);
DROP TEMPORARY TABLE demo_held;

-- The counters count the shown reviews: the hidden one is left out.
UPDATE events e SET
  e.rating_sum = (SELECT COALESCE(SUM(r.rating), 0) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL),
  e.rating_count = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL),
  e.rating_1 = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL AND r.rating = 1),
  e.rating_2 = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL AND r.rating = 2),
  e.rating_3 = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL AND r.rating = 3),
  e.rating_4 = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL AND r.rating = 4),
  e.rating_5 = (SELECT COUNT(*) FROM reviews r
    WHERE r.event_id = e.id AND r.hidden_at IS NULL AND r.rating = 5);

-- Refunds by the buyer until two days before an event.
UPDATE events SET refunds_until = starts_at - INTERVAL 2 DAY;

-- Events with tickets to pay for also take bank transfers, due within a
-- week, or cash at the door.
UPDATE events e SET e.offline_payment_days = 7,
  e.offline_instructions = CONCAT('Bank transfer to Tessera Demo Events\n',
    'IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX\n',
    'Reference: your order code.\n',
    'Or pay in cash at the door, quoting your order code.')
WHERE EXISTS (SELECT 1 FROM ticket_types t WHERE t.event_id = e.id AND t.price_cents > 0);

-- Door staff: Hugo checks tickets in at the organizer's next two events.
INSERT INTO event_staff (event_id, user_id, granted_by)
SELECT e.id, h.id, e.organizer_id FROM events e
JOIN users o ON o.id = e.organizer_id AND o.email = 'organizer@tessera.test'
JOIN users h ON h.email = 'hugo@tessera.test'
WHERE e.status = 'published' AND e.ends_at > UTC_TIMESTAMP()
ORDER BY e.starts_at LIMIT 2;

-- ------------------------------------------------------------------ notifications

-- What the worker would have told people: each buyer of a paid order
-- (read after an hour, but for the last three days), each author of an
-- answered review of the reply (unread), each organizer of the reviews of
-- their events (read after a day, but for the last week), and the
-- refunds of the cancelled events' orders (read). The unread counters
-- count them.
INSERT INTO notifications (user_id, kind, subject_id, text, link, created_at,
  updated_at, read_at)
SELECT o.buyer_id, 'booking_confirmed', o.id,
  CONCAT('Your booking for “', e.title, '” is confirmed.'),
  CONCAT('/me/orders/', o.code), o.paid_at, o.paid_at,
  IF(o.paid_at < UTC_TIMESTAMP() - INTERVAL 3 DAY, o.paid_at + INTERVAL 1 HOUR, NULL)
FROM orders o JOIN events e ON e.id = o.event_id
WHERE o.status = 'paid' AND o.buyer_id IS NOT NULL AND o.paid_at IS NOT NULL
ORDER BY o.id;
INSERT INTO notifications (user_id, kind, subject_id, text, link, created_at,
  updated_at, read_at)
SELECT o.buyer_id, 'refund_done', o.id,
  CONCAT('Your order for “', e.title, '” is refunded.'),
  CONCAT('/me/orders/', o.code), o.created_at + INTERVAL 3 DAY,
  o.created_at + INTERVAL 3 DAY, o.created_at + INTERVAL 4 DAY
FROM orders o JOIN events e ON e.id = o.event_id
WHERE o.status = 'refunded' AND o.buyer_id IS NOT NULL
  AND o.created_at + INTERVAL 4 DAY < UTC_TIMESTAMP()
ORDER BY o.id;
INSERT INTO notifications (user_id, kind, subject_id, text, link, created_at,
  updated_at, read_at)
SELECT r.author_id, 'review_reply', r.id,
  CONCAT('The organizer replied to your review of “', e.title, '”.'),
  CONCAT('/events/', e.id, '#review-', r.id), r.replied_at, r.replied_at, NULL
FROM reviews r JOIN events e ON e.id = r.event_id
WHERE r.reply IS NOT NULL AND r.hidden_at IS NULL
ORDER BY r.id;
INSERT INTO notifications (user_id, kind, subject_id, text, link, created_at,
  updated_at, read_at)
SELECT e.organizer_id, 'review_new', e.id,
  CONCAT(u.display_name, ' reviewed “', e.title, '”: ', r.rating, ' out of 5.'),
  CONCAT('/events/', e.id, '#reviews'), r.created_at, r.created_at,
  IF(r.created_at < UTC_TIMESTAMP() - INTERVAL 7 DAY, r.created_at + INTERVAL 1 DAY, NULL)
FROM reviews r JOIN events e ON e.id = r.event_id JOIN users u ON u.id = r.author_id
ORDER BY r.id;
UPDATE users u SET u.unread_notifications = (SELECT COUNT(*) FROM notifications n
  WHERE n.user_id = u.id AND n.read_at IS NULL);

-- Bob wants no mail about replies to his reviews.
INSERT INTO notification_prefs (user_id, kind, mail)
SELECT id, 'review_reply', 0 FROM users WHERE email = 'bob@tessera.test';

DROP TEMPORARY TABLE demo_buyer, demo_event, demo_ticket_type, demo_order;

COMMIT;
