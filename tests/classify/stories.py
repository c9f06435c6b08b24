"""Short wire stories written for these tests (invented events, our own words), with the
IPTC level-1 topic an editor would file each under first.

Two per level-1 topic, in the register of agency copy: the sanity set of the topic model
(tests/classify/test_model.py) and of the keyword extractor.
"""

from __future__ import annotations

ARTS = "medtop:01000000"
CRIME = "medtop:02000000"
DISASTER = "medtop:03000000"
ECONOMY = "medtop:04000000"
EDUCATION = "medtop:05000000"
ENVIRONMENT = "medtop:06000000"
HEALTH = "medtop:07000000"
HUMAN_INTEREST = "medtop:08000000"
LABOUR = "medtop:09000000"
LIFESTYLE = "medtop:10000000"
POLITICS = "medtop:11000000"
RELIGION = "medtop:12000000"
SCIENCE = "medtop:13000000"
SOCIETY = "medtop:14000000"
SPORT = "medtop:15000000"
CONFLICT = "medtop:16000000"
WEATHER = "medtop:17000000"

#: (headline, body) of a parade that is both a show of force and diplomacy: the
#: multi-label case (conflict and politics) of the tagger and the model tests.
PARADE = (
    "Kim Jong-un joins Putin and Xi at Beijing military parade",
    "North Korean leader Kim Jong-un stood alongside Russian President Vladimir Putin and "
    "Chinese President Xi Jinping on Wednesday as thousands of troops, tanks and ballistic "
    "missiles rolled through Tiananmen Square in a parade marking the end of World War II.\n\n"
    "The three leaders, whose countries have drawn closer since Russia's war in Ukraine began, "
    "held talks on the sidelines of the summit, pledging deeper military cooperation and a "
    "united front. Analysts said the display of armed forces was a message to Washington and "
    "its allies in Asia.\n\n"
    "South Korea's foreign ministry said it was watching the alliance closely, while Japan "
    "lodged a diplomatic protest.",
)

#: (topic, headline, body)
STORIES: list[tuple[str, str, str]] = [
    (
        ARTS,
        "Veteran director's family drama wins top prize at film festival",
        "A quiet family drama about three sisters running a seaside guesthouse won the top "
        "prize at the international film festival on Saturday, the jury announced.\n\n"
        "The director, who has made eleven feature films over three decades, thanked the cast "
        "and said cinema still had the power to make audiences listen to each other. The lead "
        "actress also won the award for best performance.\n\n"
        "The film opens in theaters across the country next month.",
    ),
    (
        ARTS,
        "Museum opens major exhibition of ancient ceramics and paintings",
        "The national museum on Tuesday opened an exhibition of more than 300 ceramics, "
        "paintings and calligraphy works spanning five centuries, many of them shown to the "
        "public for the first time.\n\n"
        "Curators said the show traces how artists absorbed and changed styles from "
        "neighbouring cultures. Concerts of traditional music will be held in the gallery "
        "halls on weekends during the exhibition, which runs until March.",
    ),
    (
        CRIME,
        "Former vice minister sentenced to four years in prison for bribery",
        "A court on Thursday sentenced a former vice minister to four years in prison after "
        "finding him guilty of taking bribes from a construction company in exchange for "
        "government contracts.\n\n"
        "Prosecutors had sought six years. The judge said the defendant had abused his "
        "position and ordered him to pay a fine. His lawyers said they would appeal the "
        "verdict to the high court.",
    ),
    (
        CRIME,
        "Police arrest suspect after fatal stabbing at subway station",
        "Police on Monday arrested a 34-year-old man suspected of stabbing a commuter to death "
        "at a busy subway station during the evening rush hour.\n\n"
        "Officers detained the suspect near the scene after witnesses alerted them. "
        "Investigators are questioning him about his motive and have seized the knife. "
        "Prosecutors are expected to seek an arrest warrant on murder charges.",
    ),
    (
        DISASTER,
        "Powerful earthquake kills at least 40, rescuers search collapsed buildings",
        "A magnitude 7.1 earthquake struck the mountainous region before dawn on Sunday, "
        "killing at least 40 people and injuring hundreds, officials said.\n\n"
        "Rescuers dug through the rubble of collapsed homes and a school as aftershocks shook "
        "the area. The death toll is expected to rise. Emergency services set up shelters for "
        "thousands of residents who fled their damaged houses.",
    ),
    (
        DISASTER,
        "Passenger train derails, injuring dozens; cause under investigation",
        "A passenger train carrying about 300 people derailed on Friday afternoon, injuring "
        "at least 35, two of them seriously, the railway operator said.\n\n"
        "Four carriages left the tracks near a river bridge. Firefighters and paramedics "
        "helped passengers out through the windows. Accident investigators are examining the "
        "signals and the track, and services on the line remain suspended.",
    ),
    (
        ECONOMY,
        "Central bank holds key interest rate steady as inflation eases",
        "The central bank kept its benchmark interest rate unchanged at 3.25 percent on "
        "Thursday, saying inflation was slowing but household debt remained a concern.\n\n"
        "The governor said the bank would watch the housing market and the exchange rate "
        "before deciding on a rate cut. Economists expect monetary easing to begin in the "
        "second quarter as consumer prices and economic growth both soften.",
    ),
    (
        ECONOMY,
        "Chipmaker posts record quarterly profit on strong memory demand",
        "The country's largest chipmaker reported a record operating profit for the third "
        "quarter on Tuesday, as prices of memory chips used in data centers climbed.\n\n"
        "Revenue rose 18 percent from a year earlier, beating analysts' forecasts. The "
        "company's shares gained 4 percent on the stock market, and it said it would raise "
        "investment in new production lines and pay a higher dividend to shareholders.",
    ),
    (
        EDUCATION,
        "Government to overhaul university entrance exam from 2028",
        "The education ministry said on Wednesday it would overhaul the university entrance "
        "exam from 2028, cutting the number of subjects and adding essay questions.\n\n"
        "High school students will take the new test in their final year. Teachers' groups "
        "welcomed the plan to reduce rote learning, while some parents worried that schools "
        "were not ready to change the curriculum in time.",
    ),
    (
        EDUCATION,
        "Primary schools to introduce coding classes for all pupils",
        "All primary schools will teach coding as a compulsory subject from next year, with "
        "two lessons a week for pupils aged nine and older, education officials said.\n\n"
        "Thousands of teachers will receive training over the summer, and textbooks are being "
        "rewritten. Principals said classrooms would need more computers and asked the "
        "ministry for extra funding.",
    ),
    (
        ENVIRONMENT,
        "Country pledges to cut greenhouse gas emissions by half by 2035",
        "The government announced on Monday a new target to cut greenhouse gas emissions by "
        "50 percent from 2018 levels by 2035, ahead of the United Nations climate "
        "conference.\n\n"
        "The plan would close coal power plants faster and expand solar and wind energy. "
        "Environmental groups said the pledge was a step forward but still fell short of what "
        "scientists say is needed to limit global warming.",
    ),
    (
        ENVIRONMENT,
        "Rare sea turtles return to nest on restored beach",
        "Endangered sea turtles have returned to nest on a beach where conservation workers "
        "removed tonnes of plastic waste and restored the sand dunes, a wildlife group "
        "said.\n\n"
        "Volunteers counted 60 nests this season, up from none five years ago. The group said "
        "protecting the habitat from pollution and coastal development was key to the "
        "survival of the species.",
    ),
    (
        HEALTH,
        "Measles cases rise sharply; health authorities urge vaccination",
        "Health authorities reported 85 new measles cases in the past week, the largest "
        "outbreak in a decade, and urged parents to make sure children are vaccinated.\n\n"
        "Most patients were unvaccinated children under five, and twelve were treated in "
        "hospital. Doctors warned that the disease spreads easily in schools and clinics, and "
        "the health ministry opened extra vaccination centres.",
    ),
    (
        HEALTH,
        "Regulator approves new drug for early-stage Alzheimer's disease",
        "The drug regulator on Friday approved a new treatment for patients with early-stage "
        "Alzheimer's disease after clinical trials showed it slowed memory loss.\n\n"
        "The medicine will be given by infusion in hospitals every four weeks. Doctors "
        "welcomed the approval but said patients need regular brain scans to monitor side "
        "effects, and the health insurance service is reviewing whether to cover its cost.",
    ),
    (
        HUMAN_INTEREST,
        "Grandmother celebrates 100th birthday with tandem skydive",
        "A great-grandmother marked her 100th birthday on Sunday by jumping out of a plane "
        "strapped to an instructor, cheered on by four generations of her family.\n\n"
        '"I wanted to see the world from up there once," she said after landing with a big '
        "smile. She said the secret of a long life was laughter, gardening and a glass of "
        "milk every night.",
    ),
    (
        HUMAN_INTEREST,
        "Lost dog finds its way home after 200-kilometre journey",
        "A family's beloved dog that went missing during a holiday trip turned up on their "
        "doorstep three weeks later, having walked some 200 kilometres home.\n\n"
        "The thin but happy dog was greeted with hugs and a bowl of its favourite food. "
        "Neighbours said they had spotted it crossing fields and villages, and the story "
        "has charmed people across the country online.",
    ),
    (
        LABOUR,
        "Metal workers' union launches strike over wages",
        "Tens of thousands of members of the metal workers' union walked off the job on "
        "Wednesday after wage talks with employers broke down.\n\n"
        "The union is demanding a 7 percent pay rise and a shorter working week, while "
        "employers offered 3 percent. Production at several car plants stopped. The labour "
        "ministry urged both sides to return to collective bargaining.",
    ),
    (
        LABOUR,
        "Unemployment rate falls to lowest level in two decades",
        "The jobless rate fell to 2.6 percent in October, the lowest in more than twenty "
        "years, as employers hired more workers in services and health care.\n\n"
        "The number of employed people rose by 210,000 from a year earlier. However, youth "
        "employment declined and more workers held temporary jobs, the statistics office said "
        "in its monthly labour market report.",
    ),
    (
        LIFESTYLE,
        "Travellers flock to mountain villages as hiking holidays boom",
        "Hiking holidays have become the most popular summer getaway, with bookings of "
        "mountain guesthouses up 40 percent this year, travel agencies said.\n\n"
        "Tourists are drawn by scenic trails, local food and hot springs. Restaurants in the "
        "villages now serve vegetarian dishes, and some offer cooking classes using herbs "
        "picked on the slopes.",
    ),
    (
        LIFESTYLE,
        "Street food festival draws record crowds with dumplings and noodles",
        "More than 200,000 visitors packed the city's street food festival over the weekend "
        "to taste dumplings, noodles, grilled skewers and desserts from 150 stalls.\n\n"
        "Chefs held cooking demonstrations and a baking contest, and a craft beer garden "
        "stayed open late. Organisers said the festival had become a favourite family "
        "outing.",
    ),
    (
        POLITICS,
        "Parliament passes budget after opposition ends boycott",
        "The National Assembly passed next year's budget on Friday after the main opposition "
        "party ended a week-long boycott of the parliamentary session.\n\n"
        "The ruling party and the opposition agreed to cut spending on government projects "
        "and raise welfare funds. The president thanked lawmakers and said the budget would "
        "support the economy ahead of local elections in June.",
    ),
    (
        POLITICS,
        "Foreign ministers agree to strengthen ties at summit meeting",
        "The foreign ministers of the two countries agreed on Tuesday to strengthen "
        "diplomatic and economic ties and to hold regular summit talks between their "
        "leaders.\n\n"
        "Meeting in the capital, the ministers discussed trade, visas and regional security, "
        "and signed a memorandum on cultural exchange. The ambassador said the talks marked "
        "a new chapter in bilateral relations.",
    ),
    (
        RELIGION,
        "Pope calls for dialogue between faiths during visit",
        "The pope called for dialogue between religions and respect for believers of all "
        "faiths as he celebrated Mass before tens of thousands of Catholics on Sunday.\n\n"
        "He met bishops, priests and leaders of Buddhist and Muslim communities, and prayed "
        "at a historic cathedral. The church said the visit was the first by a pontiff in "
        "three decades.",
    ),
    (
        RELIGION,
        "Muslims begin holy month of Ramadan with prayers at mosques",
        "Muslims around the region began the holy month of Ramadan on Monday, fasting from "
        "dawn to dusk and gathering for evening prayers at mosques.\n\n"
        "Imams urged the faithful to help the poor during the month. Religious authorities "
        "announced the start of Ramadan after the new moon was sighted, and the Eid festival "
        "will mark its end.",
    ),
    (
        SCIENCE,
        "Space agency launches lunar probe on homegrown rocket",
        "The national space agency launched a lunar orbiter on a homegrown rocket on "
        "Wednesday, the country's first mission to the moon.\n\n"
        "The spacecraft separated from the rocket about 40 minutes after liftoff and sent its "
        "first signals to the ground station. Scientists plan to use its cameras and "
        "instruments to map water ice near the lunar poles.",
    ),
    (
        SCIENCE,
        "Researchers unveil artificial intelligence chip that uses less power",
        "Researchers at a university laboratory have developed an artificial intelligence "
        "chip that runs software for image recognition using a tenth of the power of "
        "conventional processors.\n\n"
        "The team published its findings in a scientific journal and said the semiconductor "
        "design could extend the battery life of smartphones and robots. Engineers are now "
        "testing a prototype.",
    ),
    (
        SOCIETY,
        "Birth rate hits record low as population ages",
        "The country's total fertility rate fell to a record low of 0.72 last year, "
        "statistics showed on Wednesday, deepening concerns about an ageing population.\n\n"
        "Fewer couples married, and the number of people aged 65 or older passed 20 percent "
        "of the population. Sociologists said young people were put off starting families "
        "by housing costs and long working hours.",
    ),
    (
        SOCIETY,
        "Shelters overwhelmed as number of homeless families grows",
        "Homeless shelters in the capital are turning families away as the number of people "
        "without a home rose 25 percent in a year, charities said on Monday.\n\n"
        "Social workers said rising rents and poverty were pushing more parents and children "
        "onto the streets. Volunteers called for more public housing and welfare support for "
        "low-income households.",
    ),
    (
        SPORT,
        "Late header gives United 2-1 win over City in derby",
        "A stoppage-time header from the captain gave United a 2-1 victory over City on "
        "Sunday, lifting them to third in the league table.\n\n"
        "City had taken the lead through a first-half penalty, but United equalised after the "
        "break when their striker volleyed in from the edge of the box. The goalkeeper made "
        "three fine saves before the winner.",
    ),
    (
        SPORT,
        "Swimmer wins third Olympic gold medal with world record",
        "The 22-year-old swimmer won her third gold medal of the Olympics on Thursday, "
        "breaking the world record in the 200 metres freestyle final.\n\n"
        "She touched the wall 0.4 seconds ahead of the defending champion. Her coach said the "
        "team had trained for four years for the race, and she will compete again in the "
        "relay on Saturday.",
    ),
    (
        CONFLICT,
        "Airstrikes hit rebel positions as ceasefire collapses",
        "Government warplanes carried out airstrikes on rebel positions on Tuesday as a "
        "two-week ceasefire collapsed and fighting resumed along the front line.\n\n"
        "The military said it had destroyed weapons depots, while the rebels said civilians "
        "were killed in the shelling. Thousands fled the area as troops and tanks moved "
        "toward the border town.",
    ),
    (
        CONFLICT,
        "North Korea fires ballistic missiles as allies hold military drills",
        "North Korea fired two short-range ballistic missiles into the sea on Monday, the "
        "Joint Chiefs of Staff said, as South Korean and U.S. forces held joint military "
        "drills.\n\n"
        "The army said it had strengthened its readiness posture. Pyongyang has condemned the "
        "exercises as rehearsals for an invasion and warned of a strong response to what it "
        "called a threat to its security.",
    ),
    (
        WEATHER,
        "Heat wave to continue with temperatures up to 37 degrees",
        "The heat wave gripping the country will continue through the weekend, with daytime "
        "temperatures reaching 37 degrees Celsius in some areas, the weather agency said on "
        "Friday.\n\n"
        "Forecasters issued heat warnings for most of the south and said tropical nights "
        "would persist. Scattered showers are expected on Monday, bringing slightly cooler "
        "air.",
    ),
    (
        WEATHER,
        "Heavy rain and strong winds forecast for the weekend",
        "The national weather service warned on Friday that heavy rain and gusts of up to "
        "90 km/h would sweep across the north over the weekend, with temperatures dropping to "
        "near freezing at night.\n\n"
        "Forecasters issued a yellow warning for thunderstorms on Saturday afternoon. Sunday "
        "should be drier but cloudy, with sunny spells and highs of 12 degrees in the south.",
    ),
]
